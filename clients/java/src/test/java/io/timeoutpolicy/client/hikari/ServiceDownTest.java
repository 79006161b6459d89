package io.timeoutpolicy.client.hikari;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.timeoutpolicy.client.ServiceJar;
import io.timeoutpolicy.client.Source;
import io.timeoutpolicy.client.StandIns;
import io.timeoutpolicy.client.integration.IntegrationSettings;
import io.timeoutpolicy.client.integration.Served;
import io.timeoutpolicy.client.integration.TimeoutPolicyIntegration;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The golden rule (SPEC 9.1): the service stopped, hanging or answering 500 never stops the pool's start. */
class ServiceDownTest {

    static final Duration BUDGET = Duration.ofSeconds(2);

    @Test
    void stopped_the_pool_starts_from_the_defaults_within_the_budget() throws Exception {
        startsWithin(Fleet.settings(StandIns.closedPort(), "development"), Source.DEFAULTS, 30_000);
    }

    @Test
    void hanging_the_pool_starts_from_the_defaults_within_the_budget() throws Exception {
        try (StandIns.Hanging hanging = new StandIns.Hanging()) {
            startsWithin(Fleet.settings(hanging.url, "test"), Source.DEFAULTS, 20_000);
        }
    }

    @Test
    void answering_500_the_pool_starts_from_its_cache_within_the_budget() throws Exception {
        String environment = ServiceJar.get().newEnvironment(25.0, 2.0, 7.0, 1.5, "");
        IntegrationSettings up = Fleet.settings(ServiceJar.get().url, environment);
        try (TimeoutPolicyIntegration integration = TimeoutPolicyIntegration.of(up)) {
            TimeoutPolicyHikari.configure(HikariIntegrationTest.config(HikariIntegrationTest.DB), integration);
        }
        try (StandIns.Answering failing = new StandIns.Answering(500, "application/problem+json",
                "{\"status\": 500}")) {
            startsWithin(up.withUrl(failing.url), Source.CACHE, 7_000);
        }
    }

    private static void startsWithin(IntegrationSettings settings, Source expected, long connectionTimeout)
            throws Exception {
        try (TimeoutPolicyIntegration integration = TimeoutPolicyIntegration.of(settings)) {
            HikariConfig config = HikariIntegrationTest.config(HikariIntegrationTest.DB);
            long start = System.nanoTime();
            Served served = TimeoutPolicyHikari.configure(config, integration);
            try (HikariDataSource pool = new HikariDataSource(config); Connection c = pool.getConnection()) {
                long elapsed = System.nanoTime() - start;
                System.out.printf("service %s: pool started from %s in %d ms%n", settings.url(), served.source(),
                        elapsed / 1_000_000);
                assertThat(Duration.ofNanos(elapsed)).isLessThan(BUDGET.plusMillis(500));
                assertThat(c.isValid(1)).isTrue();
            }
            assertThat(served.source()).isEqualTo(expected);
            assertThat(config.getConnectionTimeout()).isEqualTo(connectionTimeout);
        }
    }
}
