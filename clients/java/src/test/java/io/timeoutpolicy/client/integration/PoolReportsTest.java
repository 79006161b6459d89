package io.timeoutpolicy.client.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.timeoutpolicy.client.StandIns;
import java.nio.file.Files;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** What a pool's hooks queue: every check, and waits only above the threshold. */
class PoolReportsTest {

    @Test
    void every_check_is_reported_and_only_waits_over_the_threshold() throws Exception {
        IntegrationSettings settings = IntegrationSettings.from(n -> null).withUrl(StandIns.closedPort())
                .withEnvironment("development").withCacheDir(Files.createTempDirectory("c-"));
        try (TimeoutPolicyIntegration integration = TimeoutPolicyIntegration.of(settings)) {
            PoolReports reports = integration.pool(integration.startupConfig(), 20.0, 30.0, 10.0);
            long before = integration.client().reportingStats().queued();
            for (int i = 0; i < 100; i++) {
                reports.healthChecked(System.nanoTime(), 10, true, null);
            }
            assertThat(integration.client().reportingStats().queued() - before).as("100 fast checks").isEqualTo(100);
            reports.healthChecked(System.nanoTime() - 20_000_000L, 10, true, null); // 20 ms: slow
            reports.healthChecked(System.nanoTime(), 10, false, null);
            reports.healthChecked(System.nanoTime(), 10, false, new SQLException("gone", "08006"));
            assertThat(integration.client().reportingStats().queued() - before).isEqualTo(103);
            reports.acquired(9_000_000L);
            reports.acquired(10_000_000L);
            assertThat(integration.client().reportingStats().queued() - before).as("waits up to 10 ms").isEqualTo(103);
            reports.acquired(10_000_001L);
            reports.acquireFailed(30_000_000_000L, null);
            assertThat(integration.client().reportingStats().queued() - before).isEqualTo(105);
        }
    }
}
