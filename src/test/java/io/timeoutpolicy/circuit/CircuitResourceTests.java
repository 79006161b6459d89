package io.timeoutpolicy.circuit;

import static io.restassured.RestAssured.given;
import static io.timeoutpolicy.TestEnvironments.attempt;
import static io.timeoutpolicy.TestEnvironments.record;
import static io.timeoutpolicy.TestEnvironments.repeated;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestEnvironments;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET …/circuit and the circuit in startup-config, fed by attempts posted over HTTP. */
@QuarkusTest
class CircuitResourceTests {

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    @Test
    void five_failed_attempts_open_the_circuit_and_a_success_closes_it() {
        String environment = TestEnvironments.stagingLike();
        given().get("/api/v1/environments/" + environment + "/circuit").then()
                .statusCode(200)
                .body("environment", equalTo(environment))
                .body("state", equalTo("closed"))
                .body("consecutive_failures", equalTo(0))
                .body("last_failure_at", nullValue())
                .body("retry_after_seconds", nullValue());

        record(repeated(environment, 4, 2.0, false));
        given().get("/api/v1/environments/" + environment + "/circuit").then()
                .body("state", equalTo("closed"))
                .body("consecutive_failures", equalTo(4))
                .body("last_failure_at", notNullValue());

        record(repeated(environment, 1, 2.0, false));
        given().get("/api/v1/environments/" + environment + "/circuit").then()
                .body("state", equalTo("open"))
                .body("consecutive_failures", equalTo(5))
                .body("retry_after_seconds", closeTo(60.0, 5.0));
        given().get("/api/v1/environments/" + environment + "/startup-config").then()
                .body("circuit.state", equalTo("open"))
                .body("circuit.consecutive_failures", equalTo(5));

        record(List.of(attempt(environment, 1.0, true)));
        given().get("/api/v1/environments/" + environment + "/circuit").then()
                .body("state", equalTo("closed"))
                .body("consecutive_failures", equalTo(0))
                .body("last_failure_at", notNullValue());
    }

    @Test
    void only_successes_keep_the_circuit_closed() {
        String environment = TestEnvironments.developmentLike();
        record(repeated(environment, 3, 1.0, true));
        given().get("/api/v1/environments/" + environment + "/circuit").then()
                .statusCode(200)
                .body("state", equalTo("closed"))
                .body("consecutive_failures", equalTo(0))
                .body("last_failure_at", nullValue());
    }

    @Test
    void an_unknown_environment_is_a_404() {
        given().get("/api/v1/environments/nope/circuit").then().statusCode(404)
                .contentType("application/problem+json");
    }
}
