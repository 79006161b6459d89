package io.timeoutpolicy.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.timeoutpolicy.client.ServiceJar;
import io.timeoutpolicy.client.StandIns;
import io.timeoutpolicy.client.hikari.TimeoutPolicyHikari;
import io.timeoutpolicy.client.integration.TimeoutPolicyIntegration;
import io.timeoutpolicy.client.live.Rollout;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * SPEC 9.3: after a promotion, the physical connects made from then on use the new connect timeout — measured
 * against a server that accepts and never answers, with the packaged service and pgJDBC: a plain
 * PGSimpleDataSource (its setters) and HikariCP's jdbcUrl DriverDataSource (made again with the new properties).
 */
class LiveConnectTimeoutTest {

    @Test
    void a_plain_data_source_connects_with_the_promoted_connect_timeout() throws Exception {
        String environment = ServiceJar.get().newEnvironment(25.0, 4.0, 4.0, 1.5, "");
        try (TimeoutPolicyIntegration integration = TimeoutPolicyIntegration.of(
                TimeoutPolicyDataSourceTest.settings(environment)); StandIns.Hanging silent = new StandIns.Hanging()) {
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setURL("jdbc:postgresql://127.0.0.1:" + silent.port + "/postgres");
            TimeoutPolicyDataSource ds = TimeoutPolicyDataSource.wrap(pg, integration);
            assertThat(pg.getLoginTimeout()).isEqualTo(4);
            promote(environment, 1.0);
            waitFor(() -> pg.getLoginTimeout() == 1 && pg.getConnectTimeout() == 1);
            assertThat(ds.connectTimeoutsInForce()).isEqualTo(Map.of("connectTimeout", 1, "loginTimeout", 1));
            assertThat(secondsToFail(ds)).isBetween(0.8, 2.0);
        }
    }

    @Test
    void a_hikari_pool_by_jdbc_url_connects_with_the_promoted_connect_timeout() throws Exception {
        String environment = ServiceJar.get().newEnvironment(25.0, 4.0, 4.0, 1.5, "");
        try (TimeoutPolicyIntegration integration = TimeoutPolicyIntegration.of(
                TimeoutPolicyDataSourceTest.settings(environment)); StandIns.Hanging silent = new StandIns.Hanging()) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + silent.port + "/postgres");
            config.setInitializationFailTimeout(-1); // starts without a connection
            TimeoutPolicyHikari.configure(config, integration);
            try (HikariDataSource pool = new HikariDataSource(config)) {
                var ds = (TimeoutPolicyDataSource) pool.getDataSource();
                promote(environment, 1.0);
                waitFor(() -> Map.of("connectTimeout", 1, "loginTimeout", 1).equals(ds.connectTimeoutsInForce()));
                // the connect HikariCP's adder thread makes, through the DataSource it was given
                assertThat(secondsToFail(ds)).isBetween(0.8, 2.0);
            }
        }
    }

    private static void promote(String environment, double connection) throws Exception {
        int candidate = Rollout.candidate(environment, 1, Rollout.policy(environment, connection, 4.0, 1.5),
                "{\"mode\": \"shadow\"}");
        Rollout.promote(environment, candidate);
    }

    private static double secondsToFail(TimeoutPolicyDataSource ds) {
        long start = System.nanoTime();
        assertThatThrownBy(ds::getConnection).hasMessageContaining("timed out");
        return (System.nanoTime() - start) / 1e9;
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("applied within 3 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
