package io.timeoutpolicy.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.timeoutpolicy.TestApi;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SPEC 6: every write endpoint against every role, no key, a wrong key, and the key in either header. */
@QuarkusTest
class SecurityTests {

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    /** A write endpoint: how to call it, and the status it answers a caller with the right role. */
    record WriteEndpoint(String name, String role, Function<RequestSpecification, Integer> call, int allowed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<WriteEndpoint> writeEndpoints() {
        return Stream.of(
                new WriteEndpoint("PUT policy", Roles.OPERATOR, SecurityTests::createPolicy, 201),
                new WriteEndpoint("POST attempts", Roles.REPORTER, SecurityTests::recordAttempt, 201),
                new WriteEndpoint("POST bypass-decisions", Roles.DEPLOYER, SecurityTests::askForBypass, 201));
    }

    static int recordAttempt(RequestSpecification request) {
        return request.contentType(ContentType.JSON)
                .body("{\"environment\": \"test\", \"operation\": \"pool\", \"duration_seconds\": 0.2,"
                        + " \"success\": true, \"service\": \"security-tests\"}")
                .post("/api/v1/attempts").statusCode();
    }

    static int askForBypass(RequestSpecification request) {
        return request.contentType(ContentType.JSON)
                .body("{\"environment\": \"test\", \"critical_failures\": 0, \"deployment\": \"security-tests\"}")
                .post("/api/v1/bypass-decisions").statusCode();
    }

    static Stream<Arguments> everyRoleAgainstEveryWrite() {
        return writeEndpoints().flatMap(endpoint -> Stream.of(
                Arguments.of(endpoint, TestApi.REPORTER_KEY, Roles.REPORTER),
                Arguments.of(endpoint, TestApi.DEPLOYER_KEY, Roles.DEPLOYER),
                Arguments.of(endpoint, TestApi.OPERATOR_KEY, Roles.OPERATOR),
                Arguments.of(endpoint, TestApi.ALL_ROLES_KEY, endpoint.role())));
    }

    static int createPolicy(RequestSpecification request) {
        return request.contentType(ContentType.JSON)
                .body("{\"cloud_sql\": false, \"base_timeouts\": {\"initialization_timeout\": 25.0,"
                        + " \"table_setup_timeout\": 12.0, \"connection_timeout\": 15.0, \"pool_timeout\": 25.0,"
                        + " \"health_check_timeout\": 8.0}}")
                .put("/api/v1/environments/sec-" + UUID.randomUUID().toString().substring(0, 8) + "/policy")
                .statusCode();
    }

    @ParameterizedTest(name = "{0} with the {2} key")
    @MethodSource("everyRoleAgainstEveryWrite")
    void a_key_is_allowed_exactly_when_it_has_the_role(WriteEndpoint endpoint, String key, String role) {
        int status = endpoint.call().apply(given().header("X-API-Key", key));
        org.assertj.core.api.Assertions.assertThat(status)
                .isEqualTo(role.equals(endpoint.role()) ? endpoint.allowed() : 403);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writeEndpoints")
    void the_key_may_come_as_a_bearer_token(WriteEndpoint endpoint) {
        int status = endpoint.call().apply(given().header("Authorization", "Bearer " + TestApi.ALL_ROLES_KEY));
        org.assertj.core.api.Assertions.assertThat(status).isEqualTo(endpoint.allowed());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writeEndpoints")
    void no_key_or_a_wrong_key_is_a_401(WriteEndpoint endpoint) {
        org.assertj.core.api.Assertions.assertThat(endpoint.call().apply(given())).isEqualTo(401);
        org.assertj.core.api.Assertions.assertThat(endpoint.call().apply(given().header("X-API-Key", "guess")))
                .isEqualTo(401);
        org.assertj.core.api.Assertions.assertThat(endpoint.call().apply(
                given().header("Authorization", "Bearer guess"))).isEqualTo(401);
    }

    @Test
    void a_401_is_a_problem_with_a_challenge_and_a_403_a_problem_too() {
        given().contentType(ContentType.JSON).body("{}")
                .put("/api/v1/environments/sec-denied/policy").then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"timeout-policy\"")
                .body("status", equalTo(401));
        given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON).body("{}")
                .put("/api/v1/environments/sec-denied/policy").then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("status", equalTo(403));
        given().get("/api/v1/environments/sec-denied/policy").then().statusCode(404);
    }

    @Test
    void the_policy_records_which_key_changed_it() {
        String environment = "sec-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", "Bearer " + TestApi.ALL_ROLES_KEY).contentType(ContentType.JSON)
                .body("{\"cloud_sql\": true, \"base_timeouts\": {\"initialization_timeout\": 25.0,"
                        + " \"table_setup_timeout\": 12.0, \"connection_timeout\": 15.0, \"pool_timeout\": 25.0,"
                        + " \"health_check_timeout\": 8.0}}")
                .put("/api/v1/environments/" + environment + "/policy").then()
                .statusCode(201)
                .body("updated_by", equalTo("all-roles"));
        given().get("/api/v1/environments/" + environment + "/policy/versions").then()
                .body("items[0].updated_by", equalTo("all-roles"));
    }

    @Test
    void a_decision_records_which_key_asked_for_it() {
        given().header("X-API-Key", TestApi.ALL_ROLES_KEY).contentType(ContentType.JSON)
                .body("{\"environment\": \"test\", \"critical_failures\": 0}")
                .post("/api/v1/bypass-decisions").then()
                .statusCode(201)
                .body("requested_by_key", equalTo("all-roles"));
    }

    @Test
    void read_endpoints_are_open_by_default() {
        given().get("/api/v1/environments/staging/timeouts").then().statusCode(200);
        given().get("/api/v1/environments").then().statusCode(200);
    }
}
