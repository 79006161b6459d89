package io.timeoutpolicy.resilience;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Puts a {@link FaultProxy} between the service under test and the local PostgreSQL (both the reactive and
 * the JDBC URL), before the service starts.
 */
public class FaultProxyResource implements QuarkusTestResourceLifecycleManager {

    static FaultProxy proxy;

    @Override
    public Map<String, String> start() {
        try {
            proxy = new FaultProxy(env("DB_HOST", "127.0.0.1"), Integer.parseInt(env("DB_PORT", "5432")));
            int port = proxy.start();
            String database = "//127.0.0.1:" + port + "/" + env("TEST_DB_NAME", "timeout_policy_test");
            return Map.of("quarkus.datasource.reactive.url", "postgresql:" + database,
                    "timeout-policy.database.migration-url", "jdbc:postgresql:" + database + "?connectTimeout=2");
        } catch (Exception e) {
            throw new IllegalStateException("The fault proxy did not start", e);
        }
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
