package io.timeoutpolicy.history;

import static io.restassured.RestAssured.given;
import static io.timeoutpolicy.TestEnvironments.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.timeoutpolicy.MovableClock;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestEnvironments;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cap on service names per environment through the API: below it nothing changes; beyond it attempts are
 * recorded and count for the environment, and a per-service question that would miss some is a 409 naming the
 * cap and its property; names leave memory with their last attempt, and free their place.
 */
@QuarkusTest
@TestProfile(ServiceNamesCapTests.CapOfThree.class)
class ServiceNamesCapTests {

    public static class CapOfThree implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("timeout-policy.history.services-per-environment", "3");
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(MovableClock.class);
        }
    }

    @Inject
    MovableClock clock;

    @Inject
    HistoryView view;

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    @Test
    void names_beyond_the_cap_count_for_the_environment_and_a_question_about_them_is_a_409() {
        String environment = TestEnvironments.stagingLike();
        // cap − 1 and cap names: answers as without a cap.
        record(attempts(environment, "a", 2, 1.0));
        record(attempts(environment, "b", 1, 2.0));
        metrics(environment, "a").statusCode(200).body("connection_attempts", equalTo(2))
                .body("average_connection_time", equalTo(1.0));
        record(attempts(environment, "c", 1, 3.0));
        metrics(environment, "c").statusCode(200).body("connection_attempts", equalTo(1));

        // cap + 1: recorded (201) and counted for the environment, not per service.
        given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON)
                .body("[" + String.join(",", attempts(environment, "d", 2, 4.0)) + "]")
                .post("/api/v1/attempts").then().statusCode(201).body("recorded", equalTo(2));
        metrics(environment, null).statusCode(200).body("connection_attempts", equalTo(6));
        metrics(environment, "d").statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:timeout-policy:problem:service-not-tracked"))
                .body("title", equalTo("Service not tracked"))
                .body("status", equalTo(409))
                .body("detail", allOf(containsString("more than 3 distinct service names"),
                        containsString("timeout-policy.history.services-per-environment"), containsString("'d'")));
        // The names held before the cap keep exact answers.
        metrics(environment, "a").statusCode(200).body("connection_attempts", equalTo(2));
        metrics(environment, "b").statusCode(200).body("connection_attempts", equalTo(1));
    }

    @Test
    void names_leave_memory_with_their_last_attempt_and_free_their_place() {
        String environment = TestEnvironments.stagingLike();
        record(attempts(environment, "p", 1, 1.0));
        record(attempts(environment, "q", 1, 1.0));
        record(attempts(environment, "r", 1, 1.0));
        record(attempts(environment, "s", 1, 1.0));
        metrics(environment, "s").statusCode(409);
        long before = view.serviceNamesHeld();

        // A day and a minute later (the horizon is PT24H), expiry forgets the attempts and then their names.
        clock.advance(Duration.ofHours(24).plusMinutes(1));
        view.expire();
        assertThat(view.serviceNamesHeld()).isLessThanOrEqualTo(before - 3);

        record(attempts(environment, "s", 1, 5.0));
        record(attempts(environment, "t", 1, 6.0));
        metrics(environment, "s").statusCode(200).body("connection_attempts", equalTo(1))
                .body("average_connection_time", equalTo(5.0));
        metrics(environment, "t").statusCode(200).body("connection_attempts", equalTo(1));
        metrics(environment, "p").statusCode(200).body("status", equalTo("no_data"));
    }

    private static io.restassured.response.ValidatableResponse metrics(String environment, String service) {
        var request = given();
        if (service != null) {
            request.queryParam("service", service);
        }
        return request.get("/api/v1/environments/" + environment + "/metrics").then();
    }

    private static List<String> attempts(String environment, String service, int count, double duration) {
        List<String> attempts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            attempts.add(String.format(Locale.ROOT, "{\"environment\": \"%s\", \"operation\": \"connection\","
                    + " \"duration_seconds\": %s, \"success\": true, \"service\": \"%s\"}", environment, duration,
                    service));
        }
        return attempts;
    }
}
