package io.timeoutpolicy.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.timeoutpolicy.PackagedJar;
import io.timeoutpolicy.TestDatabase;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every metric the Grafana dashboard queries is one the packaged jar exposes at /q/metrics, once it has done
 * what the panels watch: answered timeouts, recorded attempts (one violating its timeout, one request refused),
 * decided a bypass and tried to deliver an alert. Recorded series (names with a colon) are the shipped rules'
 * ({@code GrafanaDashboardTests}).
 */
class GrafanaDashboardIT {

    private static final String KEY = "grafana-it-key";

    @Test
    void every_metric_the_dashboard_reads_is_exposed_by_the_running_jar() throws Exception {
        String database = TestDatabase.name() + "_grafana";
        TestDatabase.recreate(database);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        List<String> properties = new ArrayList<>(PackagedJar.localDatabase(database));
        properties.addAll(List.of("-Dtimeout-policy.security.keys.grafana.sha256=" + PackagedJar.sha256(KEY),
                "-Dtimeout-policy.security.keys.grafana.roles=reporter,deployer,operator",
                // A receiver nobody listens on: its delivery metrics appear with the first alert.
                "-Dtimeout-policy.alerts.receivers.nowhere.url=http://127.0.0.1:" + closedPort + "/alerts",
                "-Dtimeout-policy.alerts.receivers.nowhere.format=json"));
        try (PackagedJar service = PackagedJar.start("grafana-it", properties)) {
            service.await("/q/health/ready", r -> r.statusCode() == 200, Duration.ofSeconds(30));
            assertThat(service.get("/api/v1/environments/staging/timeouts").statusCode()).isEqualTo(200);
            assertThat(service.post("/api/v1/attempts", KEY, "[{\"environment\": \"staging\", \"operation\": \"connection\","
                    + " \"duration_seconds\": 95.0, \"success\": false, \"failure_type\": \"database_timeout\","
                    + " \"timeout_seconds\": 90.0}]").statusCode()).isEqualTo(201);
            assertThat(service.post("/api/v1/attempts", KEY, "{\"environment\": \"staging\"}").statusCode())
                    .isEqualTo(400);
            assertThat(service.post("/api/v1/bypass-decisions", KEY,
                    "{\"environment\": \"staging\", \"critical_failures\": 1}").statusCode()).isEqualTo(201);

            Set<String> read = new TreeSet<>(GrafanaDashboard.metricNames(GrafanaDashboard.read()));
            read.removeIf(name -> name.contains(":"));
            Set<String> missing = new TreeSet<>(read);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!missing.isEmpty() && System.nanoTime() < deadline) {
                missing.removeAll(exposed(service.get("/q/metrics").body()));
                if (!missing.isEmpty()) {
                    Thread.sleep(500);
                }
            }
            assertThat(read).hasSizeGreaterThan(25);
            assertThat(missing).as("metrics the dashboard reads that the jar does not expose").isEmpty();
        }
    }

    /** The names of the samples of a Prometheus text exposition. */
    private static Set<String> exposed(String exposition) {
        Set<String> names = new TreeSet<>();
        exposition.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.split("[{ ]", 2)[0]).forEach(names::add);
        return names;
    }
}
