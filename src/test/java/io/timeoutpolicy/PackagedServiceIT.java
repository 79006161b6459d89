package io.timeoutpolicy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar (java -jar target/quarkus-app/quarkus-run.jar) in the production profile: secure by
 * default, Swagger UI served, and the answers of the foundation issue's "done when".
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = PackagedServiceIT.ProductionWithOneKey.class, restrictToAnnotatedClass = true)
class PackagedServiceIT {

    /** Production settings, but the test database and one operator key (production ships none). */
    public static class ProductionWithOneKey implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            String database = "//127.0.0.1:5432/" + System.getenv().getOrDefault("TEST_DB_NAME", "timeout_policy_test");
            return Map.of(
                    "quarkus.datasource.reactive.url", "postgresql:" + database,
                    "timeout-policy.security.keys.release-bot.sha256",
                    "0ff86987c8ca08303de41f67acd9dda633b6ac174e05534d0d365f8299ae30fc",
                    "timeout-policy.security.keys.release-bot.roles", "operator");
        }

        @Override
        public void stop() {
        }
    }

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    @Test
    void answers_timeouts_from_the_seeded_policies() {
        given().get("/api/v1/environments/staging/timeouts").then()
                .statusCode(200)
                .body("timeouts.connection_timeout", equalTo(90.0))
                .body("adaptive", equalTo(true));
        given().get("/api/v1/environments/development/timeouts").then()
                .statusCode(200)
                .body("timeouts.connection_timeout", equalTo(20.0))
                .body("adaptive", equalTo(false));
        given().queryParam("pressure", "vpc_connector_scaling").get("/api/v1/environments/staging/timeouts").then()
                .body("timeouts.connection_timeout", equalTo(135.0));
        given().get("/api/v1/environments/nope/timeouts").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("staging"));
    }

    @Test
    void refuses_writes_without_a_key_and_accepts_the_configured_operator_key() {
        String environment = "it-" + UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"cloud_sql\": false, \"base_timeouts\": {\"initialization_timeout\": 25.0,"
                + " \"table_setup_timeout\": 12.0, \"connection_timeout\": 15.0, \"pool_timeout\": 25.0,"
                + " \"health_check_timeout\": 8.0}}";
        given().contentType(ContentType.JSON).body(body).put("/api/v1/environments/" + environment + "/policy")
                .then().statusCode(401);
        given().header("Authorization", "Bearer " + TestApi.OPERATOR_KEY).contentType(ContentType.JSON).body(body)
                .put("/api/v1/environments/" + environment + "/policy")
                .then().statusCode(201).body("updated_by", equalTo("release-bot"));
        given().get("/api/v1/environments/" + environment + "/policy").then()
                .statusCode(200)
                .body("base_timeouts.connection_timeout", equalTo(15.0));
        given().header("X-API-Key", TestApi.OPERATOR_KEY).header("If-Match", "\"7\"").contentType(ContentType.JSON)
                .body(body).put("/api/v1/environments/" + environment + "/policy")
                .then().statusCode(412);
    }

    @Test
    void is_ready_and_serves_swagger_ui_in_production() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    /** The document is prepared after start-up in the packaged jar (DeferredOpenApiDocumentService). */
    @Test
    void serves_the_openapi_document_the_build_stored_as_json_and_yaml() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        var stored = json.readTree(Path.of("target", "openapi", "openapi.json").toFile());
        String servedJson = given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .extract().asString();
        String servedYaml = given().get("/q/openapi").then().statusCode(200).extract().asString();
        assertThat(json.readTree(servedJson)).isEqualTo(stored);
        assertThat(yaml.readTree(servedYaml)).isEqualTo(stored);
    }
}
