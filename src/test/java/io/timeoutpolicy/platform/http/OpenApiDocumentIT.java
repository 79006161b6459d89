package io.timeoutpolicy.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timeoutpolicy.PeerTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document the build stores in target/openapi (quarkus.smallrye-openapi.store-schema-directory):
 * fit to generate clients from. Redocly CLI lints it with the project's redocly.yaml, Spectral with its own
 * OpenAPI rules (.spectral.yaml), and the properties a generator depends on are checked one by one, so a failure
 * names what broke.
 */
class OpenApiDocumentIT {

    private static final Path DOCUMENT = Path.of("target", "openapi", "openapi.json");
    private static final String REDOCLY = "@redocly/cli@2.77.0";
    private static final String SPECTRAL = "@stoplight/spectral-cli@6.16.0";
    private static final long LINT_LIMIT_SECONDS = 300;
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");

    private static JsonNode document;

    @BeforeAll
    static void read() throws Exception {
        document = new ObjectMapper().readTree(DOCUMENT.toFile());
    }

    @Test
    void redocly_lint_finds_no_error_and_no_warning() throws Exception {
        PeerTools.require("npx", "apt-get install npm");
        Path log = Files.createTempFile("redocly", ".log");
        ProcessBuilder lint = new ProcessBuilder("npx", "--yes", REDOCLY, "lint", "target/openapi/openapi.yaml",
                "--config", "redocly.yaml", "--format", "stylish")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = lint.start();
        if (!process.waitFor(LINT_LIMIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("redocly lint did not finish within " + LINT_LIMIT_SECONDS + " s:\n" + Files.readString(log));
        }
        String output = Files.readString(log);
        System.out.println("redocly lint:\n" + output);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).as(output).contains("Your API description is valid").doesNotContain("warning ");
    }

    @Test
    void spectral_lint_finds_no_error() throws Exception {
        PeerTools.require("npx", "apt-get install npm");
        Path log = Files.createTempFile("spectral", ".log");
        ProcessBuilder lint = new ProcessBuilder("npx", "--yes", SPECTRAL, "lint", "target/openapi/openapi.yaml",
                "--ruleset", ".spectral.yaml", "--fail-severity", "error")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = lint.start();
        if (!process.waitFor(LINT_LIMIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("spectral lint did not finish within " + LINT_LIMIT_SECONDS + " s:\n" + Files.readString(log));
        }
        String output = Files.readString(log);
        System.out.println("spectral lint:\n" + output);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).as(output).containsPattern("\\(0 errors, \\d+ warnings|No results with a severity of 'error'")
                .doesNotContain(" error ");
    }

    @Test
    void every_operation_declares_the_answers_of_the_http_layer_and_of_an_outage() {
        for (JsonNode operation : operations()) {
            String id = operation.path("operationId").asText();
            JsonNode responses = operation.path("responses");
            assertThat(responses.has("406")).as(id + " 406").isTrue();
            assertThat(responses.has("414")).as(id + " 414").isTrue();
            JsonNode unavailable = responses.path("503");
            assertThat(unavailable.path("description").asText()).as(id + " 503").contains("shutting-down");
            assertThat(unavailable.path("headers").has("Retry-After")).as(id + " Retry-After").isTrue();
            assertThat(unavailable.path("content").has("application/problem+json")).isTrue();
            if (operation.has("requestBody")) {
                assertThat(responses.has("400") && responses.has("413") && responses.has("415"))
                        .as(id + " 400, 413, 415").isTrue();
            }
            if (operation.path("parameters").toString().contains("\"name\":\"environment\",\"in\":\"path\"")) {
                assertThat(responses.has("400") && responses.has("404")).as(id + " 400, 404").isTrue();
            }
        }
        assertThat(ErrorResponses.UNAVAILABLE.keySet()).as("every operation the 503 table names exists")
                .isSubsetOf(operations().stream().map(o -> o.path("operationId").asText()).toList());
        for (String id : List.of("getMetrics", "getAnalysis", "getAssessment", "getTrend", "simulateTimeouts")) {
            assertThat(operation(id).at("/responses/503/description").asText()).as(id).contains("history-incomplete");
        }
        assertThat(operation("putPolicy").at("/responses/503/description").asText()).contains("nothing was written");
        assertThat(operation("recordAttempts").at("/responses/503/description").asText()).contains("buffer")
                .contains("full");
        assertThat(operation("recordAttempts").path("responses").has("202")).isTrue();
        assertThat(operation("listBypassDecisions").at("/responses/503/description").asText())
                .contains("database is unavailable");
        assertThat(operation("getTimeouts").at("/responses/503/description").asText())
                .as("timeouts never wait for the database").doesNotContain("database");
    }

    private static JsonNode operation(String id) {
        return operations().stream().filter(o -> id.equals(o.path("operationId").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no operation " + id));
    }

    @Test
    void every_operation_has_a_unique_operation_id() {
        List<String> ids = operations().stream().map(operation -> operation.path("operationId").asText("")).toList();
        assertThat(ids).hasSize(24).doesNotContain("").doesNotHaveDuplicates()
                .contains("getStartupConfig", "recordAttempts", "decideBypass", "listBypassDecisions");
    }

    @Test
    void fields_that_can_be_null_say_so() {
        JsonNode schemas = document.path("components").path("schemas");
        assertThat(types(schemas.path("CircuitState").path("properties").path("last_failure_at"))).contains("null");
        assertThat(types(schemas.path("CircuitState").path("properties").path("retry_after_seconds")))
                .containsExactlyInAnyOrder("number", "null");
        assertThat(types(schemas.path("DecisionPage").path("properties").path("next_cursor")))
                .containsExactlyInAnyOrder("string", "null");
        assertThat(types(schemas.path("TrendBucket").path("properties").path("p99"))).contains("null");
        assertThat(types(schemas.path("BypassDecision").path("properties").path("service"))).contains("null");
        assertThat(types(schemas.path("BypassDecision").path("properties").path("bypass"))).containsExactly("boolean");
    }

    @Test
    void no_framework_type_leaks_as_a_schema() {
        assertThat(document.path("components").path("schemas").properties().stream().map(Map.Entry::getKey))
                .doesNotContain("OutboundSseEvent", "MediaType", "Assessment1")
                .contains("Assessment", "AssessmentBaselines", "AssessmentBaselinesUpdate");
        JsonNode stream = document.at("/paths/~1api~1v1~1alerts~1stream/get/responses/200/content");
        assertThat(stream.path("text/event-stream").path("schema").path("type").asText()).isEqualTo("string");
    }

    @Test
    void the_maps_keyed_by_timeout_key_name_their_five_keys() {
        JsonNode answer = document.at("/components/schemas/TimeoutsAnswer/properties");
        List<String> keys = List.of("initialization_timeout", "table_setup_timeout", "connection_timeout",
                "pool_timeout", "health_check_timeout");
        for (String map : List.of("timeouts", "base_timeouts", "explanations")) {
            JsonNode schema = document.at(answer.path(map).path("$ref").asText("#/missing").substring(1));
            assertThat(schema.path("properties").properties().stream().map(Map.Entry::getKey).toList())
                    .as(map).containsExactlyElementsOf(keys);
        }
    }

    @Test
    void writes_name_their_role_and_reads_take_a_key_or_none() {
        JsonNode attempts = document.at("/paths/~1api~1v1~1attempts/post");
        assertThat(attempts.path("security").toString())
                .isEqualTo("[{\"bearer\":[\"reporter\"]},{\"apiKey\":[\"reporter\"]}]");
        assertThat(attempts.path("responses").has("403")).isTrue();
        assertThat(document.at("/paths/~1api~1v1~1bypass-decisions/post/security/0/bearer/0").asText())
                .isEqualTo("deployer");
        assertThat(document.at("/paths/~1api~1v1~1environments~1{environment}~1policy/put/security/1/apiKey/0")
                .asText()).isEqualTo("operator");
        JsonNode timeouts = document.at("/paths/~1api~1v1~1environments~1{environment}~1timeouts/get");
        assertThat(timeouts.path("security").toString()).isEqualTo("[{},{\"bearer\":[]},{\"apiKey\":[]}]");
        assertThat(timeouts.path("responses").has("401")).isTrue();
        assertThat(document.path("servers").toString()).doesNotContain("localhost");
    }

    @Test
    void descriptions_cite_the_contract_in_the_repository_not_a_file_outside_it() throws Exception {
        String text = Files.readString(DOCUMENT);
        assertThat(text).doesNotContainPattern("SPEC \\d").contains("docs/design.md §4.4");
    }

    private static List<JsonNode> operations() {
        List<JsonNode> operations = new ArrayList<>();
        document.path("paths").forEach(path -> METHODS.stream().filter(path::has).map(path::get)
                .forEach(operations::add));
        return operations;
    }

    private static List<String> types(JsonNode property) {
        JsonNode type = property.path("type");
        if (type.isArray()) {
            return StreamSupport.stream(type.spliterator(), false).map(JsonNode::asText).toList();
        }
        // A $ref made nullable is written as oneOf/anyOf [{$ref}, {type: null}].
        List<String> types = new ArrayList<>();
        for (String combinator : List.of("oneOf", "anyOf")) {
            property.path(combinator).forEach(choice -> types.add(choice.path("type").asText("ref")));
        }
        return type.isTextual() ? List.of(type.asText()) : types;
    }
}
