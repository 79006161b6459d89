package io.timeoutpolicy.generated;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timeoutpolicy.generated.api.BypassDecisionsApi;
import io.timeoutpolicy.generated.api.CircuitAndAlertsApi;
import io.timeoutpolicy.generated.api.HistoryApi;
import io.timeoutpolicy.generated.api.PoliciesApi;
import io.timeoutpolicy.generated.api.PolicyChangesApi;
import io.timeoutpolicy.generated.api.TimeoutsApi;
import io.timeoutpolicy.generated.model.StartupConfigAnswer;
import java.io.File;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The client openapi-generator made from the service's document (it compiled, or this would not run) reads the
 * document's own examples strictly, keeps its nulls, and offers every operation under its operationId.
 */
class GeneratedClientTest {

    private static final String MODELS = "io.timeoutpolicy.generated.model.";
    private static final ObjectMapper STRICT = JSON.getDefault().getMapper().copy()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void every_documented_example_reads_into_its_generated_model() throws Exception {
        List<String> read = new ArrayList<>();
        for (Map.Entry<String, JsonNode> schema : document().path("components").path("schemas").properties()) {
            Class<?> model = model(schema.getKey());
            for (JsonNode example : schema.getValue().path("examples")) {
                if (model == null || !example.isObject()) {
                    continue;
                }
                Object value = STRICT.treeToValue(example, model);
                JsonNode back = STRICT.valueToTree(value);
                example.properties().stream().filter(field -> !field.getValue().isNull()).forEach(field ->
                        assertThat(back.has(field.getKey())).as(schema.getKey() + "." + field.getKey()).isTrue());
                read.add(schema.getKey());
            }
        }
        assertThat(read).contains("StartupConfigAnswer", "BypassDecision", "CircuitState", "DecisionPage",
                "TimeoutsAnswer", "Trend", "Alert").hasSizeGreaterThan(20);
    }

    @Test
    void a_closed_circuit_keeps_its_nulls_and_the_timeouts_are_typed_fields() throws Exception {
        JsonNode example = document().at("/components/schemas/StartupConfigAnswer/examples/0");
        StartupConfigAnswer answer = STRICT.treeToValue(example, StartupConfigAnswer.class);
        assertThat(answer.getCircuit().getState()).isEqualTo("closed");
        assertThat(answer.getCircuit().getLastFailureAt()).isNull();
        assertThat(answer.getCircuit().getRetryAfterSeconds()).isNull();
        assertThat(answer.getTimeouts().getTimeouts().getConnectionTimeout()).isEqualTo(20.0);
        // The branch is an enum of the document's values, typed in the generated client.
        assertThat(answer.getTimeouts().getExplanations().getConnectionTimeout().getBranch())
                .hasToString("static");
    }

    @Test
    void every_operation_is_a_method_named_by_its_operation_id() throws Exception {
        List<String> methods = Stream.of(PoliciesApi.class, HistoryApi.class, BypassDecisionsApi.class,
                        CircuitAndAlertsApi.class, TimeoutsApi.class, PolicyChangesApi.class)
                .flatMap(api -> Stream.of(api.getMethods())).map(Method::getName).toList();
        List<String> operationIds = new ArrayList<>();
        document().path("paths").forEach(path -> path.forEach(operation -> {
            if (operation.has("operationId")) {
                operationIds.add(operation.get("operationId").asText());
            }
        }));
        assertThat(operationIds).hasSize(24);
        assertThat(methods).containsAll(operationIds);
    }

    private static JsonNode document() throws Exception {
        return new ObjectMapper().readTree(new File(System.getProperty("openapi.document")));
    }

    private static Class<?> model(String schema) {
        try {
            return Class.forName(MODELS + schema);
        } catch (ClassNotFoundException notGenerated) {
            return null; // a schema inlined by the generator (a string with a format, an enum)
        }
    }
}
