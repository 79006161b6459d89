package io.timeoutpolicy.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timeoutpolicy.PackagedJar;
import io.timeoutpolicy.TestDatabase;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 28's "done when" on the packaged jar: a history with a known 99.9th percentile yields the base SPEC 10.1
 * computes from it, and a shadow candidate whose connection timeout is far too short shows every live attempt as
 * a would-be violation while every answer stays on the current version.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PolicyChangesOnTheJarIT {

    private static final String DATABASE = System.getenv().getOrDefault("TEST_DB_NAME", "timeout_policy_test")
            + "_policy_changes";
    private static final String KEY = "policy-changes-it-key";
    private static final String ENVIRONMENT = "staging";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 2 000 successes: the nearest-rank 99.9th percentile is the 1 998th, below the two longest. */
    private static final int SUCCESSES = 2_000;

    private static PackagedJar jar;

    @BeforeAll
    static void start() throws Exception {
        TestDatabase.recreate(DATABASE);
        List<String> properties = new ArrayList<>(PackagedJar.localDatabase(DATABASE));
        properties.add("-Dtimeout-policy.security.keys.changes.sha256=" + PackagedJar.sha256(KEY));
        properties.add("-Dtimeout-policy.security.keys.changes.roles=reporter,operator");
        jar = PackagedJar.start("policy-changes", properties);
    }

    @AfterAll
    static void stop() throws Exception {
        if (jar != null) {
            jar.close();
        }
    }

    @Test
    @Order(1)
    void a_history_with_a_known_quantile_yields_the_base_spec_10_1_computes() throws Exception {
        JsonNode policy = JSON.readTree(jar.get(path("/policy")).body());
        double base = policy.at("/base_timeouts/connection_timeout").asDouble();
        double target = policy.at("/adaptive/percentile/target_false_timeout_rate").asDouble();
        double headroom = policy.at("/adaptive/percentile/headroom").asDouble();

        // Log-normal durations scaled so that the 99.9th percentile sits near half the current base.
        Random random = new Random(28);
        List<Double> durations = new ArrayList<>();
        for (int i = 0; i < SUCCESSES; i++) {
            double d = Math.exp(random.nextGaussian() * 0.5) * base / 10;
            durations.add(Math.round(d * 1000) / 1000.0);
        }
        post(durations);

        List<Double> sorted = new ArrayList<>(durations);
        Collections.sort(sorted);
        // nearest rank ⌈(1 − target)·n⌉, as the service rounds it (0.999 × 2 000 is 1 998 only up to the last bit)
        double quantile = sorted.get((int) Math.ceil((1 - target) * SUCCESSES - 1e-9) - 1);
        double longest = sorted.get(SUCCESSES - 1);
        double expected = recommended(quantile, headroom, longest, base);

        JsonNode answer = JSON.readTree(jar.get(path("/recommendations")).body()).at("/recommendations/connection_timeout");
        assertThat(answer.get("samples").asLong()).isEqualTo(SUCCESSES);
        assertThat(answer.get("quantile").asDouble()).isCloseTo(quantile, within(quantile * 0.01));
        // the answer's quantile comes from a sketch (SPEC 4.3: within 1 %): the rule applied to it exactly, and the
        // proposal no further than one 0.5 s step from the rule applied to the true quantile
        double proposed = answer.get("recommended_base").asDouble();
        assertThat(proposed).isEqualTo(recommended(answer.get("quantile").asDouble(), headroom, longest, base));
        assertThat(proposed).isCloseTo(expected, within(0.5));
        assertThat(answer.get("action").asText()).isEqualTo(expected < base ? "lower" : "raise");
        assertThat(answer.at("/backtest/candidate/effective_timeout").isNumber()).isTrue();
    }

    @Test
    @Order(2)
    void a_shadow_candidate_far_too_short_scores_every_attempt_a_violation_while_answers_stay_current()
            throws Exception {
        ObjectNode document = (ObjectNode) JSON.readTree(jar.get(path("/policy")).body());
        int current = document.get("version").asInt();
        for (String readOnly : List.of("environment", "version", "updated_at", "updated_by", "status",
                "status_reason", "status_changed_at", "status_changed_by", "rollout", "score")) {
            document.remove(readOnly);
        }
        ((ObjectNode) document.get("base_timeouts")).put("connection_timeout", 0.1);
        document.putObject("rollout").put("mode", "shadow");
        HttpResponse<String> created = jar.put(path("/policy/candidate"), KEY, "\"" + current + "\"",
                document.toString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        // Live attempts after the candidate exists, of 25 to 26 s: staging adds its VPC connector's 20 s scaling
        // buffer to any connection timeout, so the candidate's effective one is 0.1 s × its multiplier + 20 s, and
        // the current one (75 s × its multiplier + 20 s) is far above them.
        List<Double> live = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            live.add(25 + i * 0.01);
        }
        post(live);

        String candidate = jar.get(path("/policy/candidate")).body();
        JsonNode score = JSON.readTree(candidate).at("/score/keys/connection_timeout");
        assertThat(score.path("attempts").asLong()).as(candidate).isEqualTo(100);
        assertThat(score.get("violations_candidate").asLong()).as(candidate).isEqualTo(100);
        assertThat(score.get("violation_rate_candidate").asDouble()).isEqualTo(100.0);
        assertThat(score.get("violations_current").asLong()).isZero();
        for (String asked : List.of("/timeouts", "/timeouts?instance=pod-1", "/startup-config?instance=pod-2")) {
            assertThat(JSON.readTree(jar.get(path(asked)).body()).get("policy_version").asInt()).as(asked)
                    .isEqualTo(current);
        }
    }

    /** SPEC 10.1: q × (1 + headroom), never below the longest success, rounded up to 0.5 s, within one step. */
    private static double recommended(double quantile, double headroom, double longest, double base) {
        double wanted = Math.ceil(Math.max(quantile * (1 + headroom), longest) / 0.5 - 1e-9) * 0.5;
        return Math.min(Math.max(wanted, 0.25 * base), 4 * base);
    }

    private static void post(List<Double> durations) throws Exception {
        for (int from = 0; from < durations.size(); from += 500) {
            List<String> attempts = new ArrayList<>();
            for (double d : durations.subList(from, Math.min(from + 500, durations.size()))) {
                attempts.add(String.format(Locale.ROOT, "{\"environment\": \"%s\", \"operation\": \"connection\","
                        + " \"duration_seconds\": %s, \"success\": true, \"timeout_seconds\": 60}", ENVIRONMENT, d));
            }
            HttpResponse<String> posted = jar.post("/api/v1/attempts", KEY, "[" + String.join(",", attempts) + "]");
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
        }
    }

    private static String path(String rest) {
        return "/api/v1/environments/" + ENVIRONMENT + rest;
    }
}
