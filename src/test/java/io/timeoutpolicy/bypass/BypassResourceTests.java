package io.timeoutpolicy.bypass;

import static io.restassured.RestAssured.given;
import static io.timeoutpolicy.TestEnvironments.record;
import static io.timeoutpolicy.TestEnvironments.repeated;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestEnvironments;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** POST and GET /api/v1/bypass-decisions against the real database. */
@QuarkusTest
class BypassResourceTests {

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    private static RequestSpecification asDeployer() {
        return given().header("X-API-Key", TestApi.DEPLOYER_KEY).contentType(ContentType.JSON);
    }

    private static Response decide(String environment, int failures, String types, String deployment) {
        return asDeployer().body("{\"environment\": \"" + environment + "\", \"critical_failures\": " + failures
                        + ", \"failure_types\": " + types + ", \"service\": \"orders-api\", \"deployment\": \""
                        + deployment + "\", \"requested_by\": \"pipeline\"}")
                .post("/api/v1/bypass-decisions");
    }

    @Test
    void a_decision_is_stored_and_can_be_read_back_by_id_and_in_the_list() {
        String environment = TestEnvironments.stagingLike();
        String deployment = "deploy-" + UUID.randomUUID();
        Response created = decide(environment.toUpperCase(), 2, "[\"Database_Timeout\"]", deployment);
        created.then()
                .statusCode(201)
                .header("Location", startsWith("/api/v1/bypass-decisions/"))
                .body("environment", equalTo(environment))
                // No history, so basic logic; a new environment allows 0 basic and 0 infrastructure failures.
                .body("bypass", equalTo(false))
                .body("rule", equalTo("basic_limit_exceeded"))
                .body("critical_failures", equalTo(2))
                .body("failure_types", contains("database_timeout"))
                .body("requested_by_key", equalTo("deployer"))
                .body("policy_version", equalTo(1))
                .body("degraded", equalTo(false))
                .body("analysis.has_data", equalTo(false))
                .body("analysis.bypass_recommendation", equalTo("conservative"))
                .body("decided_at", notNullValue());
        String id = created.path("id");
        given().get(created.header("Location")).then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("rule", equalTo(created.<String>path("rule")))
                .body("analysis.reason", equalTo("No historical data available"));
        given().queryParam("deployment", deployment).get("/api/v1/bypass-decisions").then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].id", equalTo(id))
                .body("next_cursor", nullValue());
    }

    @Test
    void the_rules_follow_the_environment_policy_and_its_history() {
        // A new Cloud SQL environment: basic 0, infrastructure 0 (SPEC 3, "a new environment").
        String environment = TestEnvironments.stagingLike();
        decide(environment, 0, "[]", "d0").then().body("bypass", equalTo(false)).body("rule", equalTo("no_failures"));
        decide(environment, 1, "[\"database_timeout\"]", "d1").then()
                .body("bypass", equalTo(false)).body("rule", equalTo("basic_limit_exceeded"));
        decide(environment, 1, "[\"null_pointer\"]", "d2").then()
                .body("bypass", equalTo(false)).body("rule", equalTo("genuine_failure"));
        asDeployer().body("{\"environment\": \"" + environment + "\", \"critical_failures\": 9,"
                        + " \"manual_override\": true, \"failure_types\": [\"null_pointer\"]}")
                .post("/api/v1/bypass-decisions").then()
                .statusCode(201).body("bypass", equalTo(true)).body("rule", equalTo("manual_override"));

        // An intermittently failing history: sr 85 % → conditional, limit 2 for a new environment.
        List<String> attempts = new ArrayList<>(repeated(environment, 17, 2.0, true));
        attempts.addAll(repeated(environment, 3, 2.0, false));
        record(attempts);
        decide(environment, 2, "[]", "d3").then()
                .body("bypass", equalTo(true)).body("rule", equalTo("conditional"))
                .body("analysis.failure_type", equalTo("intermittent_failure"))
                .body("analysis.connection_attempts", equalTo(20));
        decide(environment, 3, "[]", "d4").then()
                .body("bypass", equalTo(false)).body("rule", equalTo("conditional_limit_exceeded"))
                .body("reason", containsString("exceed"));
    }

    @Test
    void staging_allows_infrastructure_failures_beyond_its_basic_limit() {
        given().contentType(ContentType.JSON).header("X-API-Key", TestApi.DEPLOYER_KEY)
                .body("{\"environment\": \"staging\", \"critical_failures\": 3,"
                        + " \"failure_types\": [\"vpc_connector\", \"cloud_sql_capacity\"]}")
                .post("/api/v1/bypass-decisions").then()
                .statusCode(201)
                .body("bypass", equalTo(true))
                .body("rule", equalTo("infrastructure_failures"));
    }

    @Test
    void the_audit_list_pages_newest_first_with_a_cursor_that_survives_new_decisions() {
        String environment = TestEnvironments.developmentLike();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(0, decide(environment, 1, "[]", "page-" + i).then().statusCode(201).extract().path("id"));
        }
        Response first = given().queryParam("environment", environment).queryParam("limit", 2)
                .get("/api/v1/bypass-decisions");
        first.then().statusCode(200).body("items.id", contains(ids.get(0), ids.get(1)))
                .body("next_cursor", notNullValue());
        decide(environment, 1, "[]", "page-late").then().statusCode(201);
        Response second = given().queryParam("environment", environment).queryParam("limit", 2)
                .queryParam("cursor", first.<String>path("next_cursor")).get("/api/v1/bypass-decisions");
        second.then().statusCode(200).body("items.id", contains(ids.get(2), ids.get(3)));
        given().queryParam("environment", environment).queryParam("limit", 2)
                .queryParam("cursor", second.<String>path("next_cursor")).get("/api/v1/bypass-decisions").then()
                .body("items.id", contains(ids.get(4)))
                .body("next_cursor", nullValue());
        given().queryParam("environment", environment).queryParam("bypass", "true")
                .get("/api/v1/bypass-decisions").then()
                .body("items.bypass", everyItem(equalTo(true)));
        given().queryParam("environment", environment).queryParam("since", "2999-01-01T00:00:00Z")
                .get("/api/v1/bypass-decisions").then().body("items", hasSize(0));
        given().queryParam("environment", environment).queryParam("until", "2000-01-01T00:00:00Z")
                .get("/api/v1/bypass-decisions").then().body("items", hasSize(0));
    }

    @Test
    void malformed_queries_ids_and_requests_are_rejected() {
        given().get("/api/v1/bypass-decisions/not-a-uuid").then().statusCode(400)
                .contentType("application/problem+json");
        given().get("/api/v1/bypass-decisions/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        for (String query : new String[] {"limit=0", "limit=501", "limit=ten", "bypass=maybe", "since=yesterday",
            "until=2026-13-01T00:00:00Z", "cursor=%21%21%21"}) {
            given().get("/api/v1/bypass-decisions?" + query).then().statusCode(400)
                    .contentType("application/problem+json");
        }
        String environment = TestEnvironments.developmentLike();
        asDeployer().body("{\"environment\": \"" + environment + "\", \"critical_failures\": -1}")
                .post("/api/v1/bypass-decisions").then().statusCode(400)
                .body("errors[0].field", equalTo("critical_failures"));
        asDeployer().body("{\"environment\": \"" + environment + "\"}")
                .post("/api/v1/bypass-decisions").then().statusCode(400);
        asDeployer().body("{\"environment\": \"" + environment + "\", \"critical_failures\": 1.5}")
                .post("/api/v1/bypass-decisions").then().statusCode(400);
        asDeployer().body("{\"environment\": \"" + environment + "\", \"critical_failures\": 1, \"why\": 1}")
                .post("/api/v1/bypass-decisions").then().statusCode(400);
        asDeployer().body("{\"environment\": \"" + environment + "\", \"critical_failures\": 1,"
                        + " \"failure_types\": [\"" + "x".repeat(65) + "\"]}")
                .post("/api/v1/bypass-decisions").then().statusCode(400);
        asDeployer().body("{\"environment\": \"atlantis\", \"critical_failures\": 1}")
                .post("/api/v1/bypass-decisions").then().statusCode(422);
        given().queryParam("environment", environment).get("/api/v1/bypass-decisions").then()
                .body("items", hasSize(0));
    }
}
