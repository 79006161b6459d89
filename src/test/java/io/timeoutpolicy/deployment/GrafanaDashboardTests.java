package io.timeoutpolicy.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard's shape and what its queries read; {@code GrafanaDashboardIT} checks each metric name
 * against the /q/metrics of the packaged jar.
 */
class GrafanaDashboardTests {

    @Test
    void metric_names_are_read_out_of_promql() {
        assertThat(GrafanaDashboard.metricNames(
                "sum by (environment, branch) (rate(timeout_policy_timeouts_served_total{environment=~\"$environment\"}[$__rate_interval]))"))
                .containsExactly("timeout_policy_timeouts_served_total");
        assertThat(GrafanaDashboard.metricNames("histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket"
                + "{uri=\"/api/v1/environments/{environment}/timeouts\"}[5m]))) > 0.05 and on (instance) up == 0"))
                .containsExactly("http_server_requests_seconds_bucket", "up");
        assertThat(GrafanaDashboard.metricNames("max by (buffer) (a_depth / b_capacity) or timeout_policy:x:p99_rate5m"))
                .containsExactly("a_depth", "b_capacity", "timeout_policy:x:p99_rate5m");
        assertThat(GrafanaDashboard.metricNames("label_values(timeout_policy_circuit_state, environment)"))
                .containsExactly("timeout_policy_circuit_state");
    }

    @Test
    void every_panel_queries_the_prometheus_variable_and_reads_at_least_one_metric() throws Exception {
        JsonNode dashboard = GrafanaDashboard.read();
        assertThat(dashboard.path("uid").asText()).isEqualTo("timeout-policy-service");
        assertThat(dashboard.path("templating").path("list")).extracting(v -> v.path("name").asText())
                .contains("datasource", "environment");
        int targets = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            if ("row".equals(panel.path("type").asText())) {
                continue;
            }
            assertThat(panel.path("description").asText()).as(panel.path("title").asText()).isNotBlank();
            assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
            assertThat(panel.path("targets").size()).as(panel.path("title").asText()).isPositive();
            for (JsonNode target : panel.path("targets")) {
                targets++;
                assertThat(GrafanaDashboard.metricNames(target.path("expr").asText()))
                        .as(panel.path("title") + ": " + target.path("expr")).isNotEmpty();
            }
        }
        assertThat(targets).isGreaterThanOrEqualTo(30);
    }

    @Test
    void the_dashboard_covers_what_an_operator_watches() throws Exception {
        Set<String> names = GrafanaDashboard.metricNames(GrafanaDashboard.read());
        assertThat(names).contains("timeout_policy_timeouts_served_total", "timeout_policy_attempts_recorded_total",
                "timeout_policy_attempts_violations_total", "timeout_policy_circuit_state", "timeout_policy_alerts_total",
                "timeout_policy_write_buffer_depth", "timeout_policy_journal_size_bytes", "timeout_policy_rejected_rows_total",
                "timeout_policy_history_catching_up",
                "timeout_policy_history_refresh_lag_seconds", "http_server_requests_seconds_bucket", "jvm_memory_used_bytes");
    }

    @Test
    void every_recorded_series_it_reads_is_recorded_by_the_shipped_rules() throws Exception {
        Set<String> recorded = new TreeSet<>();
        for (JsonNode group : Manifests.documents(Path.of("deploy/prometheus/timeout-policy-rules.yml")).get(0)
                .path("groups")) {
            group.path("rules").forEach(rule -> {
                if (rule.has("record")) {
                    recorded.add(rule.path("record").asText());
                }
            });
        }
        Set<String> read = new TreeSet<>(GrafanaDashboard.metricNames(GrafanaDashboard.read()));
        read.removeIf(name -> !name.contains(":"));
        assertThat(read).isNotEmpty();
        assertThat(recorded).containsAll(read);
    }
}
