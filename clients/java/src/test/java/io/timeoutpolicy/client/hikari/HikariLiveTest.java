package io.timeoutpolicy.client.hikari;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.timeoutpolicy.client.ServiceJar;
import io.timeoutpolicy.client.integration.TimeoutPolicyIntegration;
import io.timeoutpolicy.client.jdbc.TimeoutPolicyDataSource;
import io.timeoutpolicy.client.live.Rollout;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * SPEC 9.3 end to end: a running HikariCP pool configured by TimeoutPolicyHikari, the packaged service, the real
 * PostgreSQL. A shadow candidate changes nothing; its promotion reaches the pool's HikariConfigMXBean within 2 s,
 * and the physical connects made after it carry the new connect timeout and policy version.
 */
class HikariLiveTest {

    @Test
    void a_promotion_reaches_the_running_pool_within_two_seconds() throws Exception {
        String environment = ServiceJar.get().newEnvironment(25.0, 5.0, 4.0, 1.5, "");
        try (TimeoutPolicyIntegration integration = Fleet.integration(environment)) {
            HikariConfig config = HikariIntegrationTest.config(HikariIntegrationTest.DB);
            TimeoutPolicyHikari.configure(config, integration);
            try (HikariDataSource pool = new HikariDataSource(config)) {
                try (Connection c = pool.getConnection()) {
                    assertThat(c.isValid(1)).isTrue();
                }
                var bean = pool.getHikariConfigMXBean();
                var connects = (TimeoutPolicyDataSource) pool.getDataSource();
                assertThat(bean.getConnectionTimeout()).isEqualTo(4_000);
                assertThat(connects.connectTimeoutsInForce()).containsEntry("connectTimeout", 5)
                        .containsEntry("loginTimeout", 5);

                int shadow = Rollout.candidate(environment, 1, Rollout.policy(environment, 2.0, 1.0, 0.5),
                        "{\"mode\": \"shadow\"}");
                Thread.sleep(300); // a shadow candidate is served to nobody: the pool keeps version 1
                assertThat(bean.getConnectionTimeout()).isEqualTo(4_000);

                long sent = System.nanoTime();
                Rollout.promote(environment, shadow);
                long answered = System.nanoTime();
                long applied = waitFor(() -> bean.getConnectionTimeout() == 1_000, Duration.ofSeconds(5));
                System.out.printf("promotion → HikariConfigMXBean: %d ms after the promote was sent, %d ms after its"
                        + " 200%n", (applied - sent) / 1_000_000, (applied - answered) / 1_000_000);
                assertThat(applied - answered).as("promotion → applied").isLessThan(Duration.ofSeconds(2).toNanos());
                assertThat(bean.getValidationTimeout()).isEqualTo(500);
                waitFor(() -> connects.connectTimeoutsInForce().equals(Map.of("connectTimeout", 2, "loginTimeout", 2)),
                        Duration.ofSeconds(2));

                // a new physical connect after the change: reported with the new timeout and version
                pool.getHikariPoolMXBean().softEvictConnections();
                try (Connection c = pool.getConnection()) {
                    assertThat(c.createStatement().executeQuery("SELECT 1").next()).isTrue();
                }
            }
            assertThat(integration.client().flush(Duration.ofSeconds(10))).isTrue();
            assertThat(integration.client().watchStats(environment).knownVersion()).isEqualTo(shadowVersion());
        }
        List<JsonNode> connects = Fleet.history(environment, "connection");
        assertThat(connects.get(0).get("timeout_seconds").asDouble()).isEqualTo(5.0);
        assertThat(connects.get(0).get("policy_version").asInt()).isEqualTo(1);
        JsonNode last = connects.get(connects.size() - 1);
        assertThat(last.get("timeout_seconds").asDouble()).isEqualTo(2.0);
        assertThat(last.get("policy_version").asInt()).isEqualTo(2);
    }

    @Test
    void a_canary_assignment_and_its_abort_reach_the_pool() throws Exception {
        String environment = ServiceJar.get().newEnvironment(25.0, 5.0, 4.0, 1.5, "");
        try (TimeoutPolicyIntegration integration = Fleet.integration(environment)) {
            HikariConfig config = HikariIntegrationTest.config(HikariIntegrationTest.DB);
            TimeoutPolicyHikari.configure(config, integration);
            try (HikariDataSource pool = new HikariDataSource(config)) {
                pool.getConnection().close();
                var bean = pool.getHikariConfigMXBean();
                // 100 %: this instance (X-Timeout-Policy-Instance) is in the cohort the moment the canary exists
                int canary = Rollout.candidate(environment, 1, Rollout.policy(environment, 5.0, 7.0, 1.5),
                        "{\"mode\": \"canary\", \"percent\": 100}");
                waitFor(() -> bean.getConnectionTimeout() == 7_000, Duration.ofSeconds(2));
                Rollout.abort(environment, canary);
                waitFor(() -> bean.getConnectionTimeout() == 4_000, Duration.ofSeconds(2));
                assertThat(integration.client().watchStats(environment).knownVersion()).isEqualTo(1);
            }
        }
    }

    private static int shadowVersion() {
        return 2;
    }

    /** Polls {@code condition} every 5 ms; answers the nanoTime it held, fails after {@code timeout}. */
    static long waitFor(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("in time").isLessThan(deadline);
            Thread.sleep(5);
        }
        return System.nanoTime();
    }
}
