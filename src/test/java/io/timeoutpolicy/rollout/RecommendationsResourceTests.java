package io.timeoutpolicy.rollout;

import static io.restassured.RestAssured.given;
import static io.timeoutpolicy.TestApi.asOperator;
import static io.timeoutpolicy.TestEnvironments.attempt;
import static io.timeoutpolicy.TestEnvironments.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestEnvironments;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET …/recommendations over a history posted over HTTP (SPEC 10.1), every figure checked. */
@QuarkusTest
class RecommendationsResourceTests {

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    /** 100 successes of 1.0 to 3.7 s and 5 failures of 25 s, all connection attempts. */
    private static List<Double> history(String environment) {
        List<String> attempts = new ArrayList<>();
        List<Double> durations = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            double d = 1.0 + (i % 10) * 0.3;
            durations.add(d);
            attempts.add(attempt(environment, d, true));
        }
        for (int i = 0; i < 5; i++) {
            durations.add(25.0);
            attempts.add(attempt(environment, 25.0, false));
        }
        record(attempts);
        return durations;
    }

    @Test
    void a_short_history_proposes_one_step_down_with_its_backtest_and_a_candidate_to_put() {
        String environment = TestEnvironments.developmentLike();
        List<Double> durations = history(environment);
        double currentEffective = given().get("/api/v1/environments/" + environment + "/timeouts")
                .then().statusCode(200).extract().jsonPath().getDouble("timeouts.connection_timeout");

        JsonPath answer = given().get("/api/v1/environments/" + environment + "/recommendations")
                .then().statusCode(200).extract().jsonPath();

        assertThat(answer.getString("environment")).isEqualTo(environment);
        assertThat(answer.getInt("policy_version")).isEqualTo(1);
        assertThat(answer.getString("window")).isEqualTo("PT24H");
        String key = "recommendations.connection_timeout.";
        assertThat(answer.getDouble(key + "current_base")).isEqualTo(20.0);
        // p99.9 of 100 successes is the longest, 3.7 s; × 1.2 → 4.5 s, but one step down from 20 s stops at 5 s
        assertThat(answer.getDouble(key + "quantile")).isCloseTo(3.7, offset(0.037));
        assertThat(answer.getDouble(key + "recommended_base")).isEqualTo(5.0);
        assertThat(answer.getString(key + "action")).isEqualTo("lower");
        assertThat(answer.getBoolean(key + "step_limited")).isTrue();
        assertThat(answer.getLong(key + "samples")).isEqualTo(100);
        assertThat(answer.getInt(key + "required_samples")).isEqualTo(50);

        // Heuristic development policy with 105 samples: the candidate keeps the multiplier, on a base of 5 s.
        double multiplier = currentEffective / 20.0;
        double candidateEffective = 5.0 * multiplier;
        assertThat(answer.getDouble(key + "backtest.current.effective_timeout")).isEqualTo(currentEffective);
        assertThat(answer.getDouble(key + "backtest.candidate.effective_timeout"))
                .isCloseTo(candidateEffective, offset(1e-9));
        assertThat(answer.getLong(key + "backtest.current.would_time_out")).isZero();
        assertThat(answer.getLong(key + "backtest.candidate.would_time_out")).isZero();
        assertThat(answer.getDouble(key + "backtest.candidate.false_timeout_rate")).isZero();
        assertThat(answer.getDouble(key + "backtest.current.total_wait_seconds"))
                .isCloseTo(wait(durations, currentEffective), offset(1e-9));
        assertThat(answer.getDouble(key + "backtest.candidate.total_wait_seconds"))
                .isCloseTo(wait(durations, candidateEffective), offset(1e-9));

        String other = "recommendations.table_setup_timeout.";
        assertThat(answer.getString(other + "action")).isEqualTo("insufficient_data");
        assertThat(answer.getLong(other + "samples")).isZero();
        assertThat(answer.getInt(other + "required_samples")).isEqualTo(50);
        assertThat(answer.get(other + "recommended_base") == null).isTrue();
        assertThat(answer.getDouble(other + "backtest.current.effective_timeout"))
                .isEqualTo(answer.getDouble(other + "backtest.candidate.effective_timeout"));

        // initialization 30 + table_setup 15 + connection 20 + pool 30 + health_check 10, × the multiplier
        assertThat(answer.getDouble("worst_case_startup_seconds.current")).isCloseTo(105 * multiplier, offset(1e-9));
        assertThat(answer.getDouble("worst_case_startup_seconds.candidate")).isCloseTo(90 * multiplier, offset(1e-9));

        Map<String, Object> candidate = answer.getMap("candidate");
        assertThat(candidate).doesNotContainKeys("environment", "version", "updated_at", "updated_by")
                .containsKeys("cloud_sql", "retry", "pool", "vpc_connector", "adaptive", "bypass", "circuit");
        assertThat(answer.getDouble("candidate.base_timeouts.connection_timeout")).isEqualTo(5.0);
        assertThat(answer.getDouble("candidate.base_timeouts.initialization_timeout")).isEqualTo(30.0);
        assertThat(answer.getString("if_match")).isEqualTo("\"1\"");
        assertThat(answer.getList("text", String.class)).singleElement().asString()
                .startsWith("connection_timeout: lower the base from 20.0s to 5.0s")
                .contains("99.9th percentile of 100 successful connection attempts", "limited to one step");

        // PUT-ready: the candidate and if_match replace the policy as they are.
        asOperator().contentType(ContentType.JSON).header("If-Match", answer.getString("if_match"))
                .body(answer.getMap("candidate")).put("/api/v1/environments/" + environment + "/policy")
                .then().statusCode(200);
        JsonPath again = given().get("/api/v1/environments/" + environment + "/recommendations")
                .then().statusCode(200).extract().jsonPath();
        assertThat(again.getInt("policy_version")).isEqualTo(2);
        assertThat(again.getDouble(key + "current_base")).isEqualTo(5.0);
        // 4.5 s wanted is within 10 % of 5 s: keep, and no sentence
        assertThat(again.getString(key + "action")).isEqualTo("keep");
        assertThat(again.getDouble(key + "recommended_base")).isEqualTo(5.0);
        assertThat(again.getList("text")).isEmpty();
    }

    @Test
    void a_history_longer_than_the_base_proposes_a_raise_above_the_longest_success() {
        String environment = TestEnvironments.developmentLike();
        List<String> attempts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            attempts.add(attempt(environment, 12.0 + i * 0.1, true)); // 12.0 … 17.9 s against a 20 s connection base
        }
        attempts.add(attempt(environment, 19.2, true));
        record(attempts);

        JsonPath answer = given().get("/api/v1/environments/" + environment + "/recommendations")
                .then().statusCode(200).extract().jsonPath();

        // p99.9 of 61 is the longest, 19.2 s; × 1.2 = 23.04 → 23.5 s: raise
        assertThat(answer.getString("recommendations.connection_timeout.action")).isEqualTo("raise");
        assertThat(answer.getDouble("recommendations.connection_timeout.recommended_base")).isEqualTo(23.5);
        assertThat(answer.getBoolean("recommendations.connection_timeout.step_limited")).isFalse();
        assertThat(answer.getList("text", String.class)).singleElement().asString()
                .startsWith("connection_timeout: raise the base from 20.0s to 23.5s");
    }

    @Test
    void an_unknown_environment_is_404_naming_the_known_ones_and_a_malformed_one_400() {
        given().get("/api/v1/environments/no-such-env/recommendations").then().statusCode(404)
                .contentType("application/problem+json");
        String detail = given().get("/api/v1/environments/no-such-env/recommendations").then().extract().jsonPath()
                .getString("detail");
        assertThat(detail).contains("known environments", "development");
        given().get("/api/v1/environments/Bad!Name/recommendations").then().statusCode(400)
                .contentType("application/problem+json");
    }

    private static double wait(List<Double> durations, double limit) {
        return durations.stream().mapToDouble(d -> Math.min(d, limit)).sum();
    }
}
