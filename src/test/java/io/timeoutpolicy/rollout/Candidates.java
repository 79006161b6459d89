package io.timeoutpolicy.rollout;

import static io.restassured.RestAssured.given;
import static io.timeoutpolicy.TestApi.asOperator;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** Candidate documents for tests: the environment's current policy with one base changed, plus a rollout. */
final class Candidates {

    private Candidates() {
    }

    /** The current document (as GET gives it) with {@code key}'s base set to {@code seconds} and the rollout. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> document(String environment, String key, double seconds, Map<String, Object> rollout) {
        Map<String, Object> document = new LinkedHashMap<>(given().get("/api/v1/environments/" + environment
                + "/policy").then().statusCode(200).extract().jsonPath().getMap(""));
        Map<String, Object> bases = new LinkedHashMap<>((Map<String, Object>) document.get("base_timeouts"));
        bases.put(key, seconds);
        document.put("base_timeouts", bases);
        if (rollout != null) {
            document.put("rollout", rollout);
        }
        return document;
    }

    static Response put(String environment, String ifMatch, Map<String, Object> document) {
        var request = asOperator().contentType(ContentType.JSON).body(document);
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return request.put("/api/v1/environments/" + environment + "/policy/candidate");
    }

    static Map<String, Object> shadow() {
        return Map.of("mode", "shadow");
    }

    static Map<String, Object> canary(int percent, int minAttempts) {
        return Map.of("mode", "canary", "percent", percent, "guard", Map.of("min_attempts", minAttempts));
    }
}
