package io.timeoutpolicy.security;

import static io.restassured.RestAssured.given;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.timeoutpolicy.TestApi;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With timeout-policy.security.readers-require-key, reads need a key too (any role). */
@QuarkusTest
@TestProfile(ReadersRequireKeyTests.KeyForReads.class)
class ReadersRequireKeyTests {

    public static class KeyForReads implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("timeout-policy.security.readers-require-key", "true");
        }
    }

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    @Test
    void reads_without_a_key_are_401_and_any_valid_key_reads() {
        given().get("/api/v1/environments/staging/timeouts").then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().header("X-API-Key", "guess").get("/api/v1/environments/staging/timeouts").then()
                .statusCode(401);
        given().header("X-API-Key", TestApi.REPORTER_KEY).get("/api/v1/environments/staging/timeouts").then()
                .statusCode(200);
        given().header("Authorization", "Bearer " + TestApi.DEPLOYER_KEY).get("/api/v1/environments").then()
                .statusCode(200);
    }

    @Test
    void health_and_api_documentation_stay_open() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }
}
