package io.timeoutpolicy.rollout;

import static io.restassured.RestAssured.given;
import static io.timeoutpolicy.TestEnvironments.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestEnvironments;
import io.timeoutpolicy.policy.Canary;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET …/instances (SPEC 10.3): what each instance was served and reported, its cohort, the versions in use. */
@QuarkusTest
class InstancesTests {

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    private static String attempt(String environment, String instance, int policyVersion) {
        return String.format(Locale.ROOT, "{\"environment\": \"%s\", \"operation\": \"connection\","
                + " \"duration_seconds\": 1.0, \"success\": true, \"service\": \"orders-api\", \"instance\": \"%s\","
                + " \"policy_version\": %d}", environment, instance, policyVersion);
    }

    @Test
    void instances_are_listed_newest_first_with_served_and_reported_versions_and_their_cohort() throws Exception {
        String environment = TestEnvironments.developmentLike();
        Candidates.put(environment, "\"1\"", Candidates.document(environment, "connection_timeout", 7.5,
                Candidates.canary(50, 50))).then().statusCode(201);
        String in = null;
        String out = null;
        for (int i = 0; in == null || out == null; i++) {
            String name = "host-" + i;
            if (Canary.inCohort(environment, name, 50)) {
                in = in == null ? name : in;
            } else {
                out = out == null ? name : out;
            }
        }
        String timeouts = "/api/v1/environments/" + environment + "/timeouts";
        given().get(timeouts + "?instance=" + out).then().statusCode(200);
        record(List.of(attempt(environment, out, 1)));
        Thread.sleep(20);
        given().header("X-Timeout-Policy-Instance", in).get(timeouts).then().statusCode(200);
        record(List.of(attempt(environment, in, 2)));

        JsonPath list = given().get("/api/v1/environments/" + environment + "/instances").then().statusCode(200)
                .extract().jsonPath();

        assertThat(list.getList("items.instance", String.class)).containsExactly(in, out);
        assertThat(list.getInt("items[0].served_version")).isEqualTo(2);
        assertThat(list.getInt("items[0].reported_version")).isEqualTo(2);
        assertThat(list.getBoolean("items[0].canary")).isTrue();
        assertThat(list.getString("items[0].service")).isEqualTo("orders-api");
        assertThat(list.getInt("items[1].served_version")).isEqualTo(1);
        assertThat(list.getInt("items[1].reported_version")).isEqualTo(1);
        assertThat(list.getBoolean("items[1].canary")).isFalse();
        assertThat(list.getMap("versions.served")).containsEntry("1", 1).containsEntry("2", 1);
        assertThat(Instant.parse(list.getString("items[0].last_seen")))
                .isAfterOrEqualTo(Instant.parse(list.getString("items[1].last_seen")));

        String later = Instant.now().plusSeconds(60).toString();
        given().get("/api/v1/environments/" + environment + "/instances?since=" + later).then().statusCode(200)
                .extract().jsonPath().getList("items").isEmpty();
        assertThat(given().get("/api/v1/environments/" + environment + "/instances?since=" + later).then()
                .extract().jsonPath().getList("items")).isEmpty();
        given().get("/api/v1/environments/" + environment + "/instances?since=yesterday").then().statusCode(400);
        given().get("/api/v1/environments/no-such-env/instances").then().statusCode(404);
    }
}
