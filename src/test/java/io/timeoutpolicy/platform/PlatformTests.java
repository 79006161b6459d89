package io.timeoutpolicy.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.timeoutpolicy.TestApi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Health, API documentation, metrics and the problem details of requests no resource handles. */
@QuarkusTest
class PlatformTests {

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    @Test
    void liveness_readiness_and_started_are_up_with_the_database() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'catch-up' }.data.history_loaded", equalTo(true))
                .body("checks.name", not(hasItem("database")));
        given().get("/q/health/group/database").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("database"));
        given().get("/q/health").then()
                .statusCode(200)
                .body("checks.name", hasItems("database", "catch-up"));
        given().get("/q/health/started").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'policies' }.data.source", equalTo("database"));
    }

    @Test
    void the_openapi_document_describes_every_endpoint() {
        String document = given().accept("application/json").get("/q/openapi").then()
                .statusCode(200).extract().asString();
        org.assertj.core.api.Assertions.assertThat(document)
                .contains("/api/v1/environments/{environment}/timeouts")
                .contains("/api/v1/environments/{environment}/startup-config")
                .contains("/api/v1/environments/{environment}/policy/versions")
                .contains("\"PolicyDocument\"")
                .contains("connection_timeout")
                .doesNotContain("connectionTimeout");
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void the_pre_rendered_timeouts_answer_is_documented_with_its_schema() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/v1/environments/{environment}/timeouts'.get.responses.'200'.content"
                        + ".'application/json'.schema.'$ref'", equalTo("#/components/schemas/TimeoutsAnswer"));
    }

    @Test
    void every_documented_error_response_is_a_problem() {
        String problem = "content.'application/problem+json'.schema.'$ref'";
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/v1/environments/{environment}/timeouts'.get.responses.'404'." + problem,
                        equalTo("#/components/schemas/Problem"))
                .body("paths.'/api/v1/attempts'.post.responses.'503'." + problem,
                        equalTo("#/components/schemas/Problem"))
                .body("paths.'/api/v1/environments/{environment}/policy'.put.responses.'412'." + problem,
                        equalTo("#/components/schemas/Problem"))
                .body("components.schemas.Problem.properties", hasKey("detail"))
                .body("paths.'/api/v1/attempts'.post.responses.'202'.content", not(hasKey("application/problem+json")));
    }

    @Test
    void prometheus_metrics_are_exposed() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests"));
    }

    @Test
    void requests_no_resource_handles_are_problem_details() {
        given().get("/api/v1/nothing-here").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
        given().delete("/api/v1/environments/staging/policy").then()
                .statusCode(405)
                .contentType("application/problem+json")
                .body("detail", not(containsString("Exception")));
        TestApi.asOperator().contentType("text/plain").body("x").put("/api/v1/environments/staging/policy").then()
                .statusCode(415)
                .contentType("application/problem+json");
    }

    @Test
    void cors_allows_the_dashboard_origin_only() {
        given().header("Origin", "http://localhost:8080").header("Access-Control-Request-Method", "PUT")
                .options("/api/v1/environments/staging/policy").then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", "http://localhost:8080");
        String allowed = given().header("Origin", "http://attacker.invalid")
                .get("/api/v1/environments").then().extract().header("Access-Control-Allow-Origin");
        org.assertj.core.api.Assertions.assertThat(allowed).isNull();
    }
}
