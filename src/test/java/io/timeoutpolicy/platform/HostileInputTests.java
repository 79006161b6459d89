package io.timeoutpolicy.platform;

import static io.timeoutpolicy.TestApi.asOperator;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.LogConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.timeoutpolicy.TestApi;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bodies a careless or hostile client might send: each gets a 4xx problem and changes nothing. */
@QuarkusTest
class HostileInputTests {

    private static final String BASE = "\"base_timeouts\": {\"initialization_timeout\": 25.0, \"table_setup_timeout\":"
            + " 12.0, \"connection_timeout\": 15.0, \"pool_timeout\": 25.0, \"health_check_timeout\": 8.0}";

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    /** The operator's request, never logged: pretty-printing 100 000 nested arrays exhausts any heap. */
    private static RequestSpecification quietly() {
        return asOperator().config(RestAssured.config().logConfig(LogConfig.logConfig()))
                .contentType(ContentType.JSON);
    }

    static Stream<Arguments> hostileBodies() {
        return Stream.of(
                Arguments.of("truncated JSON", "{\"cloud_sql\": false, " + BASE.substring(0, 40), 400),
                Arguments.of("deeply nested arrays", "[".repeat(100_000) + "]".repeat(100_000), 400),
                Arguments.of("deeply nested objects", "{\"cloud_sql\": false, \"pressure_multipliers\": "
                        + "{\"a\": ".repeat(5_000) + "1" + "}".repeat(5_000) + "}", 400),
                Arguments.of("a number beyond double", "{\"cloud_sql\": false, " + BASE.replace("25.0", "1e400") + "}", 400),
                Arguments.of("an integer beyond int", "{\"cloud_sql\": false, " + BASE
                        + ", \"retry\": {\"max_retries\": 99999999999999999999}}", 400),
                Arguments.of("NaN", "{\"cloud_sql\": false, " + BASE.replace("25.0", "NaN") + "}", 400),
                Arguments.of("negative infinity", "{\"cloud_sql\": false, " + BASE.replace("25.0", "-Infinity") + "}", 400),
                Arguments.of("a string for a boolean", "{\"cloud_sql\": \"yes\", " + BASE + "}", 400),
                Arguments.of("a number for a boolean", "{\"cloud_sql\": 1, " + BASE + "}", 400),
                Arguments.of("an array for an object", "{\"cloud_sql\": false, \"base_timeouts\": []}", 400),
                Arguments.of("an unknown field", "{\"cloud_sql\": false, " + BASE + ", \"admin\": true}", 400),
                Arguments.of("a duplicate key", "{\"cloud_sql\": false, \"cloud_sql\": true, " + BASE + "}", 400),
                Arguments.of("trailing garbage", "{\"cloud_sql\": false, " + BASE + "} {}", 400),
                Arguments.of("null", "null", 400),
                Arguments.of("an empty body", "", 400),
                Arguments.of("a huge indicator name", "{\"cloud_sql\": false, " + BASE
                        + ", \"pressure_multipliers\": {\"" + "x".repeat(10_000) + "\": {\"connection_timeout\": 2.0}}}", 400),
                Arguments.of("a thousand failure types", "{\"cloud_sql\": false, " + BASE
                        + ", \"bypass\": {\"infrastructure_failure_types\": [" + "\"t\",".repeat(999) + "\"t\"]}}", 400),
                Arguments.of("a 10 MB body", "{\"cloud_sql\": false, \"padding\": \"" + "x".repeat(10 * 1024 * 1024)
                        + "\"}", 413));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileBodies")
    void creating_with_a_hostile_body_is_refused_and_writes_nothing(String name, String body, int status) {
        String environment = "hostile-" + UUID.randomUUID().toString().substring(0, 8);
        Response response = quietly().body(body)
                .put("/api/v1/environments/" + environment + "/policy");

        assertThat(response.statusCode()).as(name).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.asString()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(RestAssured.get("/api/v1/environments/" + environment + "/policy").statusCode()).isEqualTo(404);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileBodies")
    void replacing_with_a_hostile_body_leaves_the_policy_as_it_was(String name, String body, int status) {
        Response response = quietly().header("If-Match", "\"1\"").body(body)
                .put("/api/v1/environments/test/policy");

        assertThat(response.statusCode()).as(name).isEqualTo(status);
        assertThat(RestAssured.get("/api/v1/environments/test/policy").header("ETag")).isEqualTo("\"1\"");
    }
}
