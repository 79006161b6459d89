package io.timeoutpolicy;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * Gives the test suite a database of its own on the local PostgreSQL: created fresh once per test run
 * (dropped first when a previous run left it), so every run starts from the seeded defaults. Host,
 * port, user and name come from the same environment variables as the service's configuration.
 */
@QuarkusTestResource(value = TestDatabase.class, restrictToAnnotatedClass = false)
public class TestDatabase implements QuarkusTestResourceLifecycleManager {

    private static boolean created;

    @Override
    public synchronized Map<String, String> start() {
        if (!created) {
            recreate();
            created = true;
        }
        return Map.of();
    }

    @Override
    public void stop() {
        // The database stays for inspection after the run; the next run recreates it.
    }

    private static void recreate() {
        String name = env("TEST_DB_NAME", "timeout_policy_test");
        String url = "jdbc:postgresql://" + env("DB_HOST", "127.0.0.1") + ":" + env("DB_PORT", "5432") + "/postgres";
        try (Connection connection = DriverManager.getConnection(url, env("DB_USER", "postgres"),
                env("DB_PASSWORD", ""));
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
            statement.execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the test database " + name + " on " + url
                    + " (is PostgreSQL running?)", e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
