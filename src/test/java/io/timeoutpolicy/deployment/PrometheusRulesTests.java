package io.timeoutpolicy.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.timeoutpolicy.PeerTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus rules shipped in deploy/prometheus: promtool accepts them and their unit tests pass, every
 * alert is tested and says how bad and what happened, and every metric they read is documented in docs/operations.md.
 */
class PrometheusRulesTests {

    private static final Path RULES = Path.of("deploy/prometheus/timeout-policy-rules.yml");
    private static final Path RULE_TESTS = Path.of("deploy/prometheus/timeout-policy-rules.test.yml");
    private static final long PROMTOOL_TIMEOUT_SECONDS = 60;
    private static final Pattern METRIC = Pattern.compile("\\b(timeout_policy_\\w+|http_server_requests_seconds_\\w+)");
    /** A backticked metric name, with or without its labels. */
    private static final Pattern TABLE_METRIC = Pattern.compile("`([a-z_]+)[`{]");

    @Test
    void promtool_accepts_the_rules() throws Exception {
        promtool("check", "rules", RULES.toString());
    }

    @Test
    void every_alert_fires_on_its_test_series_and_stays_quiet_on_the_others() throws Exception {
        promtool("test", "rules", RULE_TESTS.toString());
    }

    @Test
    void every_alert_has_a_severity_a_summary_a_description_a_runbook_a_for_and_a_unit_test() throws Exception {
        Set<String> tested = new TreeSet<>();
        for (JsonNode test : Manifests.documents(RULE_TESTS).get(0).path("tests")) {
            test.path("alert_rule_test").forEach(t -> tested.add(t.path("alertname").asText()));
        }
        List<JsonNode> alerts = rules().filter(rule -> rule.has("alert")).toList();
        assertThat(alerts).hasSize(9);
        String operations = Files.readString(Path.of("docs/operations.md"));
        for (JsonNode alert : alerts) {
            String name = alert.path("alert").asText();
            assertThat(alert.path("labels").path("severity").asText()).as(name).isIn("warning", "critical");
            assertThat(alert.path("annotations").path("summary").asText()).as(name).isNotBlank();
            assertThat(alert.path("annotations").path("description").asText()).as(name).isNotBlank();
            assertThat(alert.has("for")).as(name + " says how long it waits").isTrue();
            assertThat(tested).as("alerts with a promtool test").contains(name);
            assertThat(alert.path("annotations").path("runbook_url").asText()).as(name + " runbook")
                    .isEqualTo("docs/operations.md#" + name.toLowerCase(java.util.Locale.ROOT));
            assertThat(operations).as(name + " has a runbook section").contains("\n#### " + name + "\n");
        }
    }

    @Test
    void every_metric_the_rules_read_is_in_the_readme_metrics_table() throws Exception {
        Set<String> documented = new TreeSet<>();
        for (String metricCell : metricCells()) {
            Matcher names = TABLE_METRIC.matcher(metricCell);
            while (names.find()) {
                documented.add(names.group(1));
            }
        }
        Set<String> read = new TreeSet<>();
        rules().forEach(rule -> {
            Matcher metric = METRIC.matcher(rule.path("expr").asText());
            while (metric.find()) {
                read.add(metric.group(1));
            }
        });
        assertThat(read).contains("timeout_policy_circuit_state", "timeout_policy_alerts_total",
                "timeout_policy_degraded", "timeout_policy_write_buffer_depth", "timeout_policy_write_buffer_capacity",
                "timeout_policy_alert_deliveries_total", "http_server_requests_seconds_bucket");
        assertThat(documented).as("metrics in the table of docs/operations.md").containsAll(read);
    }

    private static Stream<JsonNode> rules() throws Exception {
        JsonNode groups = Manifests.documents(RULES).get(0).path("groups");
        return StreamSupport.stream(groups.spliterator(), false)
                .flatMap(group -> StreamSupport.stream(group.path("rules").spliterator(), false));
    }

    /** The first cell of every row of the table "The service's own metrics" in docs/operations.md: the metric names. */
    private static List<String> metricCells() throws Exception {
        String readme = Files.readString(Path.of("docs/operations.md"));
        int start = readme.indexOf("### The service's own metrics");
        assertThat(start).as("the metrics section of docs/operations.md").isNotNegative();
        int end = readme.indexOf("\n#", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end).lines()
                .filter(line -> line.startsWith("| `"))
                .map(row -> row.substring(1, row.indexOf('|', 1)))
                .toList();
    }

    /** Runs promtool from the project's folder and asserts it succeeds, with its output in the message if not. */
    private static void promtool(String... arguments) throws Exception {
        PeerTools.require("promtool", "apt-get install prometheus");
        Path output = Files.createTempFile("promtool", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(
                    Stream.concat(Stream.of("promtool"), Stream.of(arguments)).toList())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            Process process = builder.start();
            String command = String.join(" ", builder.command());
            if (!process.waitFor(PROMTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(command + " did not finish within " + PROMTOOL_TIMEOUT_SECONDS + " s:\n"
                        + Files.readString(output));
            }
            assertThat(process.exitValue()).as(command + ":\n" + Files.readString(output)).isZero();
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
