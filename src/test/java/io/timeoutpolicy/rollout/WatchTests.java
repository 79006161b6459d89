package io.timeoutpolicy.rollout;

import static io.restassured.RestAssured.given;
import static io.timeoutpolicy.TestApi.asOperator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.path.json.JsonPath;
import io.quarkus.test.junit.QuarkusTest;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestEnvironments;
import io.timeoutpolicy.policy.Canary;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC 10.4: the weak ETag of start-up-config, If-None-Match, and requests held by Prefer: wait. */
@QuarkusTest
class WatchTests {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URI root;

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    /** A held request, sent now, answered later. */
    private CompletableFuture<HttpResponse<String>> watch(String environment, String instance, int version, int wait) {
        HttpRequest request = HttpRequest.newBuilder(root.resolve("/api/v1/environments/" + environment
                        + "/startup-config" + (instance == null ? "" : "?instance=" + instance)))
                .header("If-None-Match", "W/\"" + version + "\"").header("Prefer", "wait=" + wait).build();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void if_none_match_naming_the_served_version_is_304_and_another_200() {
        String environment = TestEnvironments.developmentLike();
        String path = "/api/v1/environments/" + environment + "/startup-config";

        given().get(path).then().statusCode(200).header("ETag", "W/\"1\"");
        given().header("If-None-Match", "W/\"1\"").get(path).then().statusCode(304).header("ETag", "W/\"1\"");
        given().header("If-None-Match", "\"1\"").get(path).then().statusCode(304);
        given().header("If-None-Match", "W/\"0\"").get(path).then().statusCode(200).body("policy_version", equalTo(1));
        given().header("If-None-Match", "W/\"0\"").header("Prefer", "wait=30").get(path).then().statusCode(200);
    }

    @Test
    void a_held_request_answers_304_when_its_wait_ends() throws Exception {
        String environment = TestEnvironments.developmentLike();
        long start = System.nanoTime();

        HttpResponse<String> answer = watch(environment, null, 1, 1).get(10, TimeUnit.SECONDS);

        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(answer.statusCode()).isEqualTo(304);
        assertThat(answer.headers().firstValue("ETag")).contains("W/\"1\"");
        assertThat(millis).isBetween(900L, 5000L);
    }

    @Test
    void a_promotion_wakes_a_held_request_with_the_new_version() throws Exception {
        String environment = TestEnvironments.developmentLike();
        Candidates.put(environment, "\"1\"", Candidates.document(environment, "connection_timeout", 7.5,
                Candidates.shadow())).then().statusCode(201);
        CompletableFuture<HttpResponse<String>> held = watch(environment, "host-a", 1, 60);
        Thread.sleep(300);
        assertThat(held).isNotDone();

        long promoted = System.nanoTime();
        asOperator().header("If-Match", "\"2\"").post("/api/v1/environments/" + environment
                + "/policy/candidate/promote").then().statusCode(200);
        HttpResponse<String> answer = held.get(5, TimeUnit.SECONDS);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - promoted)).isLessThan(1000);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("ETag")).contains("W/\"2\"");
        assertThat(answer.body()).contains("\"policy_version\":2", "\"connection_timeout\":7.5");
    }

    @Test
    void a_canary_wakes_its_cohort_only_and_a_rollback_or_abort_wakes_it_again() throws Exception {
        String environment = TestEnvironments.developmentLike();
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
        CompletableFuture<HttpResponse<String>> inside = watch(environment, in, 1, 60);
        CompletableFuture<HttpResponse<String>> outside = watch(environment, out, 1, 2);
        Thread.sleep(300);

        Candidates.put(environment, "\"1\"", Candidates.document(environment, "connection_timeout", 7.5,
                Candidates.canary(50, 50))).then().statusCode(201);

        HttpResponse<String> assigned = inside.get(5, TimeUnit.SECONDS);
        assertThat(assigned.statusCode()).isEqualTo(200);
        assertThat(assigned.headers().firstValue("ETag")).contains("W/\"2\"");
        assertThat(outside.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(304);

        CompletableFuture<HttpResponse<String>> back = watch(environment, in, 2, 60);
        Thread.sleep(300);
        asOperator().header("If-Match", "\"2\"").delete("/api/v1/environments/" + environment + "/policy/candidate")
                .then().statusCode(204);
        HttpResponse<String> aborted = back.get(5, TimeUnit.SECONDS);
        assertThat(aborted.statusCode()).isEqualTo(200);
        assertThat(aborted.headers().firstValue("ETag")).contains("W/\"1\"");
    }

    @Test
    void one_promotion_wakes_every_watcher_each_answered_and_noted_as_served_with_the_new_version() throws Exception {
        String environment = TestEnvironments.developmentLike();
        Candidates.put(environment, "\"1\"", Candidates.document(environment, "connection_timeout", 7.5,
                Candidates.shadow())).then().statusCode(201);
        List<String> instances = List.of("host-a", "host-b", "host-c");
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        instances.forEach(instance -> held.add(watch(environment, instance, 1, 60)));
        held.add(watch(environment, null, 1, 60));
        Thread.sleep(300);

        asOperator().header("If-Match", "\"2\"").post("/api/v1/environments/" + environment
                + "/policy/candidate/promote").then().statusCode(200);

        // One answer rendered for the wake, the same for every watcher of the version.
        for (CompletableFuture<HttpResponse<String>> watcher : held) {
            HttpResponse<String> answer = watcher.get(5, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("ETag")).contains("W/\"2\"");
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            assertThat(answer.body()).contains("\"policy_version\":2", "\"connection_timeout\":7.5");
        }
        JsonPath listed = given().get("/api/v1/environments/" + environment + "/instances").then().statusCode(200)
                .extract().jsonPath();
        for (String instance : instances) {
            assertThat(listed.getInt("items.find { it.instance == '" + instance + "' }.served_version")).isEqualTo(2);
        }
    }
}
