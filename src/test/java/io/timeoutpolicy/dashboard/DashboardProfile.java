package io.timeoutpolicy.dashboard;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.timeoutpolicy.TestDatabase;
import io.timeoutpolicy.resilience.FaultProfile;
import io.timeoutpolicy.resilience.FaultProxy;
import java.util.List;
import java.util.Map;

/**
 * The service for the browser tests: a database of its own (so that seeding staging's history does not
 * change what other tests see in theirs), reached through a {@link FaultProxy} so that a test can cut it,
 * and the fault tests' shortened fault-tolerance times so that the page sees an outage quickly.
 */
public class DashboardProfile extends FaultProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ProxiedDatabase.class));
    }

    /** Recreates {@code <TEST_DB_NAME>_dashboard} and puts the proxy in front of it. */
    public static class ProxiedDatabase implements QuarkusTestResourceLifecycleManager {

        static FaultProxy proxy;

        @Override
        public Map<String, String> start() {
            String name = TestDatabase.name() + "_dashboard";
            TestDatabase.recreate(name);
            try {
                String host = System.getenv().getOrDefault("DB_HOST", "127.0.0.1");
                proxy = new FaultProxy(host.isBlank() ? "127.0.0.1" : host,
                        Integer.parseInt(System.getenv().getOrDefault("DB_PORT", "5432")));
                String database = "//127.0.0.1:" + proxy.start() + "/" + name;
                return Map.of("quarkus.datasource.reactive.url", "postgresql:" + database,
                        "timeout-policy.database.migration-url", "jdbc:postgresql:" + database + "?connectTimeout=2");
            } catch (Exception e) {
                throw new IllegalStateException("The dashboard tests' database proxy did not start", e);
            }
        }

        @Override
        public void stop() {
            if (proxy != null) {
                proxy.close();
            }
        }
    }
}
