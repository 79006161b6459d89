package io.timeoutpolicy.analysis;

import static io.restassured.RestAssured.given;
import static io.timeoutpolicy.TestEnvironments.attempt;
import static io.timeoutpolicy.TestEnvironments.record;
import static io.timeoutpolicy.TestEnvironments.repeated;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestEnvironments;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET …/assessment and …/trend over a history posted over HTTP. */
@QuarkusTest
class AssessmentAndTrendTests {

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    @Test
    void assessment_is_not_applicable_outside_cloud_sql_and_no_data_without_attempts() {
        String body = given().get("/api/v1/environments/development/assessment").then().statusCode(200)
                .extract().asString();
        org.assertj.core.api.Assertions.assertThat(body)
                .isEqualTo("{\"environment\":\"development\",\"status\":\"not_applicable\"}");
        String environment = TestEnvironments.stagingLike();
        given().get("/api/v1/environments/" + environment + "/assessment").then()
                .body("status", equalTo("no_data"))
                .body("issues", nullValue());
    }

    @Test
    void slow_connections_are_a_warning_with_issues_and_recommendations() {
        String environment = TestEnvironments.stagingLike();
        record(repeated(environment, 10, 13.0, true));
        given().get("/api/v1/environments/" + environment + "/assessment").then()
                .statusCode(200)
                .body("status", equalTo("warning"))
                .body("connection_attempts", equalTo(10))
                .body("average_connection_time", equalTo(13.0))
                .body("recent_average_connection_time", equalTo(13.0))
                .body("expected_avg", equalTo(5.0))
                .body("warning", equalTo(12.0))
                .body("critical", equalTo(20.0))
                .body("timeout_violation_rate", equalTo(0.0))
                .body("issues", hasSize(1))
                .body("recommendations", not(empty()));
    }

    @Test
    void the_trend_cuts_the_window_into_buckets_and_sees_degradation() {
        String environment = TestEnvironments.developmentLike();
        Instant now = Instant.now();
        List<String> attempts = new ArrayList<>();
        for (int hour = 5; hour >= 1; hour--) {
            for (int i = 0; i < 4; i++) {
                attempts.add(attempt(environment, "connection", hour > 2 ? 1.0 : 6.0, true,
                        now.minus(hour, ChronoUnit.HOURS).plus(10, ChronoUnit.MINUTES)));
            }
        }
        record(attempts);
        given().queryParam("window", "PT6H").queryParam("bucket", "PT1H")
                .get("/api/v1/environments/" + environment + "/trend").then()
                .statusCode(200)
                .body("environment", equalTo(environment))
                .body("window", equalTo("PT6H"))
                .body("bucket", equalTo("PT1H"))
                .body("buckets", hasSize(6))
                .body("buckets[0].attempts", equalTo(0))
                .body("buckets[0].average", nullValue())
                .body("buckets[1].attempts", equalTo(4))
                .body("buckets[1].average", equalTo(1.0))
                .body("buckets[1].success_rate", equalTo(100.0))
                .body("buckets[1].p99", closeTo(1.0, 0.01))
                .body("buckets[5].average", equalTo(6.0))
                .body("direction", equalTo("degrading"));
    }

    @Test
    void trend_buckets_are_bounded() {
        given().queryParam("window", "PT24H").queryParam("bucket", "PT30S")
                .get("/api/v1/environments/staging/trend").then().statusCode(400);
        given().queryParam("bucket", "soon").get("/api/v1/environments/staging/trend").then().statusCode(400);
        given().get("/api/v1/environments/staging/trend").then().statusCode(200).body("buckets", hasSize(24));
    }
}
