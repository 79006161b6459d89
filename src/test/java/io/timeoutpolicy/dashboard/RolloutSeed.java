package io.timeoutpolicy.dashboard;

import static io.restassured.RestAssured.given;
import static io.timeoutpolicy.TestApi.asOperator;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.timeoutpolicy.TestEnvironments;
import io.timeoutpolicy.policy.Canary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Environments for the rollout panels, made through the real API: a history whose recommendation lowers the
 * connection base (100 successes of 1.0–3.7 s against 20 s: one step down to 5 s), and for {@link #history} the
 * versions a rollout goes through — a canary rolled back by the guard (2), a shadow candidate aborted (3), one
 * promoted (4) — and a 50 % canary left running (5) with instances of both cohorts and their attempts.
 */
final class RolloutSeed {

    static final int IN_COHORT = 3;
    static final int OUT_OF_COHORT = 2;

    private RolloutSeed() {
    }

    /** A development-like environment with the history only. */
    static String recommendable() {
        String environment = TestEnvironments.developmentLike();
        List<String> attempts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            attempts.add(TestEnvironments.attempt(environment, 1.0 + (i % 10) * 0.3, true));
        }
        for (int i = 0; i < 5; i++) {
            attempts.add(TestEnvironments.attempt(environment, 25.0, false));
        }
        TestEnvironments.record(attempts);
        return environment;
    }

    /** {@link #recommendable()} with versions 1 (superseded) to 5 (a running canary): see the class comment. */
    static String history() throws InterruptedException {
        String environment = recommendable();
        put(environment, "\"1\"", document(environment, 1.0, Map.of("mode", "canary", "percent", 100,
                "guard", Map.of("min_attempts", 10))));
        List<String> attempts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            attempts.add(attempt(environment, 3.0, false, 1.0, 2, null)); // cut off by the canary's 1 s
            attempts.add(attempt(environment, 3.0, true, 20.0, 1, null));
        }
        TestEnvironments.record(attempts);
        awaitNoCandidate(environment); // the guard rolls version 2 back

        put(environment, "\"1\"", document(environment, 10.0, Map.of("mode", "shadow")));
        asOperator().header("If-Match", "\"3\"").delete(path(environment, "policy/candidate")).then().statusCode(204);
        put(environment, "\"1\"", document(environment, 12.0, Map.of("mode", "shadow")));
        asOperator().header("If-Match", "\"4\"").post(path(environment, "policy/candidate/promote"))
                .then().statusCode(200);
        put(environment, "\"4\"", document(environment, 8.0, Map.of("mode", "canary", "percent", 50,
                "guard", Map.of("min_attempts", 1000))));

        attempts.clear();
        for (String instance : instances(environment, true, IN_COHORT)) {
            given().get(path(environment, "timeouts?instance=" + instance)).then().statusCode(200);
            attempts.add(attempt(environment, 2.0, true, 8.0, 5, instance));
            attempts.add(attempt(environment, 9.0, false, 8.0, 5, instance));
        }
        for (String instance : instances(environment, false, OUT_OF_COHORT)) {
            given().get(path(environment, "timeouts?instance=" + instance)).then().statusCode(200);
            attempts.add(attempt(environment, 2.5, true, 12.0, 4, instance));
        }
        TestEnvironments.record(attempts);
        return environment;
    }

    static String path(String environment, String rest) {
        return "/api/v1/environments/" + environment + "/" + rest;
    }

    /** The current document with another connection base and a rollout. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> document(String environment, double connection, Map<String, Object> rollout) {
        Map<String, Object> document = new LinkedHashMap<>(given().get(path(environment, "policy")).then()
                .statusCode(200).extract().jsonPath().getMap(""));
        Map<String, Object> bases = new LinkedHashMap<>((Map<String, Object>) document.get("base_timeouts"));
        bases.put("connection_timeout", connection);
        document.put("base_timeouts", bases);
        document.put("rollout", rollout);
        return document;
    }

    private static void put(String environment, String ifMatch, Map<String, Object> document) {
        asOperator().contentType(ContentType.JSON).header("If-Match", ifMatch).body(document)
                .put(path(environment, "policy/candidate")).then().statusCode(201);
    }

    private static String attempt(String environment, double duration, boolean success, double timeout,
            int policyVersion, String instance) {
        return String.format(Locale.ROOT, "{\"environment\": \"%s\", \"operation\": \"connection\","
                        + " \"duration_seconds\": %s, \"success\": %s, \"timeout_seconds\": %s, \"policy_version\": %d%s}",
                environment, duration, success, timeout, policyVersion,
                instance == null ? "" : ", \"service\": \"orders-api\", \"instance\": \"" + instance + "\"");
    }

    /** {@code count} instance names in (or out of) the 50 % cohort. */
    static List<String> instances(String environment, boolean in, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; names.size() < count; i++) {
            String name = "orders-api-" + i;
            if (Canary.inCohort(environment, name, 50) == in) {
                names.add(name);
            }
        }
        return names;
    }

    private static void awaitNoCandidate(String environment) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (given().get(path(environment, "policy/candidate")).statusCode() != 404) {
            assertThat(Instant.now()).as("the guard rolled the canary back").isBefore(deadline);
            Thread.sleep(100);
        }
    }
}
