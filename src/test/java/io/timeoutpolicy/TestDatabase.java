package io.timeoutpolicy;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;

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
            recreate(name());
            created = true;
        }
        return Map.of();
    }

    @Override
    public void stop() {
        // The database stays for inspection after the run; the next run recreates it.
    }

    /** Drops (if there) and creates an empty database {@code name}. */
    public static void recreate(String name) {
        String url = jdbcUrl("postgres");
        try (Connection connection = connect(url);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
            statement.execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the test database " + name + " on " + url
                    + " (is PostgreSQL running?)", e);
        }
    }

    /** A plain JDBC connection to the test suite's database, for tests that look behind the service. */
    public static Connection connect() throws SQLException {
        return connect(jdbcUrl(name()));
    }

    /** A plain JDBC connection to another database of the same PostgreSQL. */
    public static Connection connectTo(String database) throws SQLException {
        return connect(jdbcUrl(database));
    }

    /**
     * The driver is asked directly: DriverManager only sees drivers of the caller's class loader, and Quarkus
     * runs test resources and test classes in loaders of their own.
     */
    private static Connection connect(String url) throws SQLException {
        Properties credentials = new Properties();
        credentials.setProperty("user", user());
        credentials.setProperty("password", password());
        return new org.postgresql.Driver().connect(url, credentials);
    }

    public static String name() {
        return env("TEST_DB_NAME", "timeout_policy_test");
    }

    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + env("DB_HOST", "127.0.0.1") + ":" + env("DB_PORT", "5432") + "/" + database;
    }

    public static String user() {
        return env("DB_USER", "postgres");
    }

    public static String password() {
        return env("DB_PASSWORD", "");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
