package io.timeoutpolicy.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every response field the client reads ({@link Answers#FIELDS_READ}) exists in the schemas of the operations it
 * calls, in the OpenAPI document the service's build writes (target/openapi/openapi.json): a change of the API
 * breaks this build, not a backend's start-up. The document names the keys of the maps keyed by timeout key
 * (TimeoutValues, Explanations), so a renamed key is found too.
 */
class OpenApiContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void every_field_the_client_reads_is_in_the_service_document() throws Exception {
        JsonNode document = document();
        List<String> missing = missing(document, Answers.FIELDS_READ);
        assertThat(missing).as("fields the Java client reads but the OpenAPI document does not have").isEmpty();
    }

    @Test
    void a_renamed_field_is_found_missing() throws Exception {
        ObjectNode document = (ObjectNode) document();
        ObjectNode properties = (ObjectNode) document.at("/components/schemas/Retry/properties");
        properties.set("max_attempts", properties.remove("max_retries"));
        assertThat(missing(document, Answers.FIELDS_READ)).containsExactly(Answers.STARTUP_CONFIG + ": retry.max_retries");
    }

    @Test
    void a_renamed_timeout_key_is_found_missing() throws Exception {
        ObjectNode document = (ObjectNode) document();
        ObjectNode properties = (ObjectNode) document.at("/components/schemas/TimeoutValues/properties");
        properties.set("connect_timeout", properties.remove("connection_timeout"));
        assertThat(missing(document, Answers.FIELDS_READ)).containsExactly(
                Answers.STARTUP_CONFIG + ": timeouts.base_timeouts.connection_timeout",
                Answers.STARTUP_CONFIG + ": timeouts.timeouts.connection_timeout");
    }

    private static JsonNode document() throws Exception {
        File file = new File(System.getProperty("openapi.document", "../../target/openapi/openapi.json"));
        if (!file.isFile()) {
            fail("the OpenAPI document " + file.getAbsolutePath() + " is missing: run the root build first"
                    + " (./mvnw -B package -DskipTests; quarkus.smallrye-openapi.store-schema-directory writes it)");
        }
        return JSON.readTree(file);
    }

    private static List<String> missing(JsonNode document, Map<String, Set<String>> fieldsRead) {
        List<String> missing = new ArrayList<>();
        fieldsRead.forEach((operation, fields) -> {
            String[] methodAndPath = operation.split(" ", 2);
            JsonNode responses = document.path("paths").path(methodAndPath[1])
                    .path(methodAndPath[0].toLowerCase()).path("responses");
            List<JsonNode> schemas = new ArrayList<>();
            responses.fields().forEachRemaining(r -> {
                if (r.getKey().startsWith("2")) {
                    JsonNode schema = r.getValue().path("content").path("application/json").path("schema");
                    if (!schema.isMissingNode()) {
                        schemas.add(schema);
                    }
                }
            });
            if (schemas.isEmpty()) {
                missing.add(operation + ": no JSON success response");
                return;
            }
            for (String field : fields.stream().sorted().toList()) {
                if (schemas.stream().noneMatch(schema -> has(document, schema, field.split("\\.")))) {
                    missing.add(operation + ": " + field);
                }
            }
        });
        return missing;
    }

    /** Whether {@code schema} has the property path {@code names}, following $ref, allOf and array items. */
    private static boolean has(JsonNode document, JsonNode schema, String[] names) {
        if (names.length == 0) {
            return true;
        }
        JsonNode resolved = resolve(document, schema);
        for (JsonNode part : resolved.path("allOf")) {
            if (has(document, part, names)) {
                return true;
            }
        }
        JsonNode property = resolved.path("properties").path(names[0]);
        if (property.isMissingNode()) {
            return false;
        }
        return has(document, property, java.util.Arrays.copyOfRange(names, 1, names.length));
    }

    private static JsonNode resolve(JsonNode document, JsonNode schema) {
        JsonNode current = schema;
        while (current.has("$ref")) {
            current = document.at(current.get("$ref").asText().substring(1));
        }
        return current;
    }
}
