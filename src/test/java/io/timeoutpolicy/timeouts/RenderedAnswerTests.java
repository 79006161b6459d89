package io.timeoutpolicy.timeouts;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestEnvironments;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GET …/timeouts answers with bytes rendered once per change of its inputs: they must be exactly what the
 * API's ObjectMapper writes for the same answer, and change as soon as an input does.
 */
@QuarkusTest
class RenderedAnswerTests {

    @Inject
    ObjectMapper mapper;

    @Inject
    TimeoutService service;

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    @Test
    void the_rendered_bytes_are_jacksons_for_every_precision_of_computed_at() throws Exception {
        TimeoutsAnswer answer = service.timeouts("staging", List.of("vpc_connector_scaling"), null);
        RenderedAnswer rendered = RenderedAnswer.of(answer, answer.computedAt(), mapper);
        for (Instant at : List.of(Instant.EPOCH, Instant.parse("1969-12-31T23:59:59Z"), Instant.parse("2026-11-22T10:15:30Z"),
                Instant.parse("2026-11-22T10:15:30.120Z"), Instant.parse("2026-11-22T10:15:30.123456789Z"))) {
            String expected = mapper.writeValueAsString(withComputedAt(answer, at));
            assertThat(new String(rendered.at(at), StandardCharsets.UTF_8)).isEqualTo(expected);
            assertThat(rendered.buffer(at).toString(StandardCharsets.UTF_8)).as("the parts as a buffer, " + at)
                    .isEqualTo(expected);
        }
    }

    @Test
    void the_rendered_startup_config_is_jacksons_and_follows_the_circuit() throws Exception {
        String environment = TestEnvironments.stagingLike();
        for (int failures = 0; failures < 7; failures++) {
            StartupConfigAnswer answer = service.startupConfig(environment, List.of(), null);
            Instant at = answer.timeouts().computedAt();
            String expected = mapper.writeValueAsString(answer);
            RenderedAnswer rendered = RenderedAnswer.of(answer, at, mapper);
            assertThat(new String(rendered.at(at), StandardCharsets.UTF_8)).isEqualTo(expected);

            Instant before = Instant.now();
            ObjectNode served = (ObjectNode) mapper.readTree(given()
                    .get("/api/v1/environments/" + environment + "/startup-config")
                    .then().statusCode(200).contentType("application/json").extract().asString());
            ObjectNode timeouts = (ObjectNode) served.get("timeouts");
            assertThat(Instant.parse(timeouts.remove("computed_at").asText())).isAfterOrEqualTo(before);
            ObjectNode now = (ObjectNode) mapper.readTree(mapper.writeValueAsString(
                    service.startupConfig(environment, List.of(), null)));
            ((ObjectNode) now.get("timeouts")).remove("computed_at");
            now.remove("circuit");
            JsonNode circuit = served.remove("circuit");
            assertThat(served).isEqualTo(now);
            assertThat(circuit.get("consecutive_failures").asInt()).isEqualTo(failures);

            TestEnvironments.record(TestEnvironments.repeated(environment, 1, 2.0, false));
        }
    }

    /** One shape of a timeouts request: what the query says, and the same as the service's arguments. */
    private record Shape(String query, List<String> pressure, String operation) {
    }

    @Test
    void every_shape_of_the_http_answer_is_the_services_answer() throws Exception {
        String pressure = "vpc_connector_scaling,cloud_sql_capacity_pressure";
        List<Shape> shapes = List.of(new Shape("", List.of(), null),
                new Shape("?operation=connection", List.of(), "connection"),
                new Shape("?operation=health_check_timeout", List.of(), "health_check_timeout"),
                new Shape("?pressure=" + pressure, List.of(pressure), null));
        for (Shape shape : shapes) {
            for (String environment : List.of("staging", "development", "production")) {
                Instant before = Instant.now();
                String body = given().get("/api/v1/environments/" + environment + "/timeouts" + shape.query())
                        .then().statusCode(200).contentType("application/json").extract().asString();
                ObjectNode served = (ObjectNode) mapper.readTree(body);
                ObjectNode expected = (ObjectNode) mapper.readTree(mapper.writeValueAsString(
                        service.timeouts(environment, shape.pressure(), shape.operation())));

                assertThat(Instant.parse(served.remove("computed_at").asText())).isAfterOrEqualTo(before);
                expected.remove("computed_at");
                assertThat(served).as(environment + shape.query()).isEqualTo(expected);
            }
        }
    }

    @Test
    void a_new_attempt_changes_the_answer_at_once() {
        String environment = TestEnvironments.stagingLike();
        String path = "/api/v1/environments/" + environment + "/timeouts";
        assertThat(given().get(path).then().statusCode(200).extract().jsonPath().getInt("samples")).isZero();

        TestEnvironments.record(TestEnvironments.repeated(environment, 3, 2.0, true));

        assertThat(given().get(path).then().statusCode(200).extract().jsonPath().getInt("samples")).isEqualTo(3);
    }

    private static TimeoutsAnswer withComputedAt(TimeoutsAnswer answer, Instant at) {
        return new TimeoutsAnswer(answer.environment(), answer.policyVersion(), answer.strategy(), answer.adaptive(),
                answer.degraded(), answer.samples(), answer.timeouts(), answer.baseTimeouts(),
                answer.explanations(), answer.pressure(), at);
    }
}
