package io.timeoutpolicy.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The gate's exit code is the decision of the running jar (SPEC 4.5). Production has no history in the test
 * service, so basic logic decides there: basic_max_failures 1, infrastructure_max_failures 0 (SPEC 3).
 */
class GateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void failures_within_the_basic_limit_are_a_bypass_exit_0_in_a_child_jvm() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "io.timeoutpolicy.client.Gate",
                "--environment", "production", "--failures", "1", "--types", "database_timeout", "--service",
                "orders-api", "--deployment", "orders-api-42"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("TIMEOUT_POLICY_URL", ServiceJar.get().url);
        builder.environment().put("TIMEOUT_POLICY_KEY", ServiceJar.KEY);
        Process gate = builder.start();
        String output = new String(gate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(gate.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(gate.exitValue()).as(output).isEqualTo(Gate.BYPASS);
        JsonNode stored = assertStored(output, "basic", true);
        assertThat(stored.get("deployment").asText()).isEqualTo("orders-api-42");
    }

    @Test
    void failures_over_the_basic_limit_are_refused_exit_1() throws Exception {
        Run run = gate(ServiceJar.get().url, "--environment", "production", "--failures", "2");
        assertThat(run.code).as(run.err).isEqualTo(Gate.REFUSED);
        assertStored(run.out, "basic_limit_exceeded", false);
    }

    @Test
    void a_genuine_failure_is_refused_exit_1() throws Exception {
        Run run = gate(ServiceJar.get().url, "--environment", "production", "--failures", "1", "--types",
                "database_timeout,schema_mismatch");
        assertThat(run.code).isEqualTo(Gate.REFUSED);
        assertStored(run.out, "genuine_failure", false);
    }

    @Test
    void a_manual_override_passes_exit_0() throws Exception {
        Run run = gate(ServiceJar.get().url, "--environment", "production", "--failures", "4", "--types",
                "schema_mismatch", "--manual-override");
        assertThat(run.code).isEqualTo(Gate.BYPASS);
        assertStored(run.out, "manual_override", true);
    }

    @Test
    void infrastructure_failures_within_their_limit_pass_in_staging_exit_0() throws Exception {
        Run run = gate(ServiceJar.get().url, "--environment", "staging", "--failures", "3", "--types",
                "vpc_connector,database_timeout");
        assertThat(run.code).isEqualTo(Gate.BYPASS);
        assertStored(run.out, "infrastructure_failures", true);
    }

    @Test
    void json_prints_the_stored_decision_with_the_apis_names() throws Exception {
        Run run = gate(ServiceJar.get().url, "--environment", "production", "--failures", "2", "--json",
                "--deployment", "orders-api-43");
        assertThat(run.code).as(run.err).isEqualTo(Gate.REFUSED);
        JsonNode printed = JSON.readTree(run.out);
        assertThat(printed.get("rule").asText()).isEqualTo("basic_limit_exceeded");
        assertThat(printed.get("critical_failures").asInt()).isEqualTo(2);
        var stored = ServiceJar.get().get("/api/v1/bypass-decisions/" + printed.get("id").asText());
        assertThat(stored.statusCode()).isEqualTo(200);
        JsonNode decision = JSON.readTree(stored.body());
        printed.fields().forEachRemaining(field -> assertThat(decision.get(field.getKey()))
                .as(field.getKey()).isEqualTo(field.getValue()));
    }

    @Test
    void no_decision_is_exit_2() throws Exception {
        Run stopped = gate(StandIns.closedPort(), "--environment", "production", "--failures", "1");
        assertThat(stopped.code).isEqualTo(Gate.COULD_NOT_ASK);
        assertThat(stopped.err).contains("could not be asked");
        Run unknown = gate(ServiceJar.get().url, "--environment", "nowhere", "--failures", "1");
        assertThat(unknown.code).isEqualTo(Gate.COULD_NOT_ASK);
        assertThat(unknown.err).contains("HTTP 422");
        assertThat(gate(ServiceJar.get().url, "--environment", "production", "--failures", "1", "--verbose").code)
                .isEqualTo(Gate.COULD_NOT_ASK);
        assertThat(gate(ServiceJar.get().url, "--environment", "production", "--failures", "-1").code)
                .isEqualTo(Gate.COULD_NOT_ASK);
        assertThat(gate(ServiceJar.get().url, "--failures", "1").code).isEqualTo(Gate.COULD_NOT_ASK);
        try (StandIns.Hanging hanging = new StandIns.Hanging()) {
            long started = System.nanoTime();
            Run run = gate(hanging.url, "--environment", "production", "--failures", "1", "--timeout", "1");
            assertThat(run.code).isEqualTo(Gate.COULD_NOT_ASK);
            assertThat((System.nanoTime() - started) / 1e9).isLessThan(1.5);
        }
    }

    private record Run(int code, String out, String err) {
    }

    private static Run gate(String url, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (TimeoutPolicyClient client = FallbackTest.client(url, Files.createTempDirectory("c-"))) {
            int code = Gate.run(client, args, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            Run run = new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
            if (code == Gate.COULD_NOT_ASK) {
                assertThat(run.out).isEmpty();
            }
            return run;
        }
    }

    /** The decision printed is the one stored, with this rule and answer. */
    private static JsonNode assertStored(String output, String rule, boolean bypass) throws Exception {
        String[] lines = output.strip().split("\n");
        Map<String, String> fields = new HashMap<>();
        for (String part : lines[0].split(" ")) {
            String[] pair = part.split("=", 2);
            if (pair.length == 2) {
                fields.put(pair[0], pair[1]);
            }
        }
        assertThat(fields).containsEntry("rule", rule).containsEntry("bypass", String.valueOf(bypass));
        assertThat(lines).hasSizeGreaterThan(1);
        var answer = ServiceJar.get().get("/api/v1/bypass-decisions/" + fields.get("decision"));
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode stored = JSON.readTree(answer.body());
        assertThat(stored.get("rule").asText()).isEqualTo(rule);
        assertThat(stored.get("bypass").asBoolean()).isEqualTo(bypass);
        return stored;
    }
}
