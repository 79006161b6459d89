package io.timeoutpolicy.rollout;

import static io.restassured.RestAssured.given;
import static io.timeoutpolicy.TestApi.asOperator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestEnvironments;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PUT · GET · DELETE …/policy/candidate and POST …/promote: every status code of SPEC 10.2 and the statuses. */
@QuarkusTest
class CandidateResourceTests {

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    private static String path(String environment) {
        return "/api/v1/environments/" + environment + "/policy/candidate";
    }

    @Test
    void a_candidate_needs_the_operator_and_if_match_naming_the_current_version() {
        String environment = TestEnvironments.developmentLike();
        Map<String, Object> document = Candidates.document(environment, "connection_timeout", 5.0, Candidates.shadow());

        given().contentType(ContentType.JSON).body(document).put(path(environment)).then().statusCode(401);
        given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON).body(document)
                .put(path(environment)).then().statusCode(403);
        Candidates.put(environment, null, document).then().statusCode(428)
                .contentType("application/problem+json").body("detail", containsString("If-Match: \"1\""));
        Candidates.put(environment, "\"7\"", document).then().statusCode(412)
                .body("detail", containsString("which is \"1\""));
        given().get(path(environment)).then().statusCode(404).body("type", containsString("no-candidate"));

        Candidates.put(environment, "\"1\"", document).then().statusCode(201)
                .header("ETag", "\"2\"")
                .header("Location", "/api/v1/environments/" + environment + "/policy/candidate")
                .body("version", equalTo(2))
                .body("status", equalTo("candidate"))
                .body("base_timeouts.connection_timeout", equalTo(5.0))
                .body("rollout.mode", equalTo("shadow"))
                .body("rollout.guard.min_attempts", equalTo(50))
                .body("rollout.guard.max_violation_rate_increase", equalTo(5.0))
                .body("rollout.guard.max_failure_rate_increase", equalTo(5.0));

        // Serving is unchanged: the current version answers, with or without an instance.
        given().get("/api/v1/environments/" + environment + "/timeouts?instance=any").then().statusCode(200)
                .body("policy_version", equalTo(1)).body("timeouts.connection_timeout", equalTo(20.0));
        given().get("/api/v1/environments/" + environment + "/policy").then().statusCode(200)
                .body("version", equalTo(1));
        given().get(path(environment)).then().statusCode(200).header("ETag", "\"2\"")
                .body("version", equalTo(2)).body("status", equalTo("candidate"))
                .body("score.keys.connection_timeout.attempts", equalTo(0))
                .body("score.cohorts.canary.attempts", equalTo(0));
    }

    @Test
    void refusals_are_answers_not_outages_so_they_never_open_the_breaker() {
        String environment = TestEnvironments.developmentLike();
        Map<String, Object> document = Candidates.document(environment, "connection_timeout", 5.0, Candidates.shadow());
        for (int i = 0; i < 15; i++) {
            Candidates.put(environment, "\"9\"", document).then().statusCode(412);
            asOperator().header("If-Match", "\"1\"").post(path(environment) + "/promote").then().statusCode(404);
        }
        Candidates.put(environment, "\"1\"", document).then().statusCode(201);
    }

    @Test
    void one_candidate_per_environment_a_second_needs_the_candidates_version_else_409() {
        String environment = TestEnvironments.developmentLike();
        Candidates.put(environment, "\"1\"", Candidates.document(environment, "connection_timeout", 5.0,
                Candidates.shadow())).then().statusCode(201);
        Map<String, Object> second = Candidates.document(environment, "connection_timeout", 8.0,
                Candidates.canary(10, 50));

        Candidates.put(environment, "\"1\"", second).then().statusCode(409)
                .body("detail", containsString("candidate version 2"));
        Candidates.put(environment, null, second).then().statusCode(428);
        Candidates.put(environment, "\"2\"", second).then().statusCode(201).header("ETag", "\"3\"")
                .body("rollout.mode", equalTo("canary")).body("rollout.percent", equalTo(10));

        // An ordinary PUT beside a candidate is a 409 too: promote or delete it first.
        asOperator().contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body(Candidates.document(environment, "connection_timeout", 9.0, null))
                .put("/api/v1/environments/" + environment + "/policy").then().statusCode(409);

        JsonPath versions = given().get("/api/v1/environments/" + environment + "/policy/versions").then()
                .statusCode(200).extract().jsonPath();
        assertThat(versions.getList("items.version", Integer.class)).containsExactly(3, 2, 1);
        assertThat(versions.getList("items.status", String.class)).containsExactly("candidate", "aborted", "current");
        assertThat(versions.getString("items[1].status_changed_by")).isEqualTo("operator");
        assertThat(versions.getDouble("items[0].base_timeouts.connection_timeout")).isEqualTo(8.0);
        assertThat(versions.getInt("items[0].rollout.percent")).isEqualTo(10);
    }

    @Test
    void an_invalid_rollout_or_document_is_400_naming_each_field() {
        String environment = TestEnvironments.developmentLike();
        Candidates.put(environment, "\"1\"", Candidates.document(environment, "connection_timeout", 5.0, null))
                .then().statusCode(400).body("errors.field", hasItems("rollout"));
        Candidates.put(environment, "\"1\"", Candidates.document(environment, "connection_timeout", 5.0,
                Map.of("mode", "canary", "percent", 0))).then().statusCode(400)
                .body("errors.field", hasItems("rollout.percent"));
        Candidates.put(environment, "\"1\"", Candidates.document(environment, "connection_timeout", 5.0,
                Map.of("mode", "shadow", "percent", 10))).then().statusCode(400)
                .body("errors.field", hasItems("rollout.percent"));
        Candidates.put(environment, "\"1\"", Candidates.document(environment, "connection_timeout", 5.0,
                Map.of("mode", "sideways"))).then().statusCode(400).body("errors.field", hasItems("rollout.mode"));
        Candidates.put(environment, "\"1\"", Candidates.document(environment, "connection_timeout", 5.0,
                Map.of("mode", "canary", "percent", 5, "guard", Map.of("min_attempts", 0, "extra", 1))))
                .then().statusCode(400);
        Candidates.put(environment, "\"1\"", Candidates.document(environment, "connection_timeout", -1.0,
                Candidates.shadow())).then().statusCode(400)
                .body("errors.field", hasItems("base_timeouts.connection_timeout"));
        Candidates.put("no-such-env", "\"1\"", Map.of("rollout", Candidates.shadow())).then().statusCode(404);
        given().get("/api/v1/environments/" + environment + "/policy/versions").then()
                .body("items.status", equalTo(List.of("current")));
    }

    @Test
    void delete_aborts_with_if_match_naming_the_candidate() {
        String environment = TestEnvironments.developmentLike();
        asOperator().delete(path(environment)).then().statusCode(404);
        Candidates.put(environment, "\"1\"", Candidates.document(environment, "connection_timeout", 5.0,
                Candidates.canary(100, 50))).then().statusCode(201);
        given().get("/api/v1/environments/" + environment + "/timeouts?instance=a").then()
                .body("policy_version", equalTo(2));

        given().header("If-Match", "\"2\"").delete(path(environment)).then().statusCode(401);
        asOperator().delete(path(environment)).then().statusCode(428);
        asOperator().header("If-Match", "\"1\"").delete(path(environment)).then().statusCode(412);
        asOperator().header("If-Match", "\"2\"").delete(path(environment)).then().statusCode(204);

        given().get(path(environment)).then().statusCode(404);
        given().get("/api/v1/environments/" + environment + "/timeouts?instance=a").then()
                .body("policy_version", equalTo(1));
        given().get("/api/v1/environments/" + environment + "/policy/versions").then()
                .body("items.status", equalTo(List.of("aborted", "current")));
        // The next ordinary version skips the aborted number.
        asOperator().contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body(Candidates.document(environment, "connection_timeout", 9.0, null))
                .put("/api/v1/environments/" + environment + "/policy").then().statusCode(200)
                .body("version", equalTo(3));
        given().get("/api/v1/environments/" + environment + "/policy/versions").then()
                .body("items.status", equalTo(List.of("current", "aborted", "superseded")));
    }

    @Test
    void promote_makes_the_candidate_current_and_supersedes_the_old_one() {
        String environment = TestEnvironments.developmentLike();
        String promote = path(environment) + "/promote";
        asOperator().header("If-Match", "\"2\"").post(promote).then().statusCode(404);
        Candidates.put(environment, "\"1\"", Candidates.document(environment, "connection_timeout", 5.0,
                Candidates.shadow())).then().statusCode(201);

        given().header("X-API-Key", TestApi.DEPLOYER_KEY).header("If-Match", "\"2\"").post(promote).then()
                .statusCode(403);
        asOperator().post(promote).then().statusCode(428);
        asOperator().header("If-Match", "\"1\"").post(promote).then().statusCode(412);
        asOperator().header("If-Match", "\"2\"").post(promote).then().statusCode(200).header("ETag", "\"2\"")
                .body("version", equalTo(2)).body("base_timeouts.connection_timeout", equalTo(5.0));

        given().get("/api/v1/environments/" + environment + "/policy").then().statusCode(200)
                .header("ETag", "\"2\"").body("version", equalTo(2));
        given().get("/api/v1/environments/" + environment + "/timeouts").then()
                .body("policy_version", equalTo(2)).body("timeouts.connection_timeout", equalTo(5.0));
        given().get("/api/v1/environments").then()
                .body("items.find { it.environment == '" + environment + "' }.policy_version", equalTo(2));
        given().get("/api/v1/environments/" + environment + "/policy/versions").then()
                .body("items.status", equalTo(List.of("current", "superseded")));
        given().get(path(environment)).then().statusCode(404);
        asOperator().header("If-Match", "\"2\"").post(promote).then().statusCode(404);
    }
}
