package io.timeoutpolicy.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The built-in defaults (SPEC 3), the backoff and the budget arithmetic; and the defaults equal the jar's. */
class DefaultsTest {

    @Test
    void staging_is_cloud_sql_base_times_1_2_with_pressure_on_top() {
        StartupConfig config = Defaults.startupConfig("staging", List.of("vpc_connector_scaling"), "down", null);
        assertThat(config.timeouts().connectionTimeout()).isEqualTo(75.0 * 1.2 * 1.5);
        assertThat(config.timeouts().initializationTimeout()).isEqualTo(95.0 * 1.2);
        assertThat(config.retry()).isEqualTo(Defaults.CLOUD_SQL_RETRY);
        assertThat(config.pool()).isEqualTo(Defaults.CLOUD_SQL_POOL);
        assertThat(config.source()).isEqualTo(Source.DEFAULTS);
        assertThat(config.circuitOpen()).isFalse();
        assertThat(config.explanations().get("connection_timeout").text()).isEqualTo("connection_timeout: base 75.0s"
                + " × 1.2 (insufficient data: 0 of 5 samples) = 90.0s; × 1.5 for pressure (vpc_connector_scaling)"
                + " = 135.0s [built-in default of the Java client]");
    }

    @Test
    void development_is_static() {
        StartupConfig config = Defaults.startupConfig("development", List.of(), null, null);
        assertThat(config.timeouts()).isEqualTo(Defaults.BASE_TIMEOUTS.get("development"));
        assertThat(config.retry()).isEqualTo(new Retry(3, 1.0, 10.0, 2.0, true));
        assertThat(config.pool()).isEqualTo(new Pool(5, 10, 30.0, 3600, true));
    }

    @Test
    void the_defaults_equal_the_packaged_services_answer_without_history() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String environment : Defaults.BASE_TIMEOUTS.keySet()) {
            for (List<String> pressure : List.of(List.<String>of(), List.of("vpc_connector_scaling"),
                    List.of("cloud_sql_capacity_pressure", "vpc_connector_scaling"))) {
                String query = pressure.isEmpty() ? "" : "?pressure=" + String.join(",", pressure);
                StartupConfig served = Answers.startupConfig(json.readTree(ServiceJar.get()
                        .get("/api/v1/environments/" + environment + "/startup-config" + query).body()));
                StartupConfig built = Defaults.startupConfig(environment, pressure, null, null);
                String what = environment + " " + pressure;
                assertThat(close(built.timeouts(), served.timeouts())).as(what + ": " + served.timeouts()).isTrue();
                assertThat(built.baseTimeouts()).as(what).isEqualTo(served.baseTimeouts());
                assertThat(built.retry()).as(what).isEqualTo(served.retry());
                assertThat(built.pool()).as(what).isEqualTo(served.pool());
                assertThat(served.explanations().keySet()).as(what).hasSize(5)
                        .isEqualTo(built.explanations().keySet());
                served.explanations().forEach((key, explanation) -> {
                    Explanation mine = built.explanations().get(key);
                    assertThat(List.of(mine.branch(), mine.base(), mine.multiplier(), mine.pressureFactor()))
                            .as(what + " " + key + ": " + explanation.text()).isEqualTo(List.of(explanation.branch(),
                                    explanation.base(), explanation.multiplier(), explanation.pressureFactor()));
                    assertThat(explanation.text()).startsWith(key + ": base ");
                });
            }
        }
    }

    @Test
    void backoff_doubles_from_half_a_second_to_thirty_and_keeps_retry_after() {
        assertThat(Backoff.REPORTING.pause(1, null)).isEqualTo(Duration.ofMillis(500));
        assertThat(Backoff.REPORTING.pause(2, null)).isEqualTo(Duration.ofSeconds(1));
        assertThat(Backoff.REPORTING.pause(4, null)).isEqualTo(Duration.ofSeconds(4));
        assertThat(Backoff.REPORTING.pause(40, null)).isEqualTo(Duration.ofSeconds(30));
        assertThat(Backoff.REPORTING.pause(1, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(Backoff.REPORTING.pause(1, Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void retry_advice_gives_capped_exponential_delays() {
        Retry retry = new Retry(5, 2.0, 30.0, 2.0, true);
        assertThat(retry.delay(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(retry.delay(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(retry.delay(5)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void a_cached_open_circuit_turns_half_open_once_its_retry_after_has_passed() {
        Circuit open = new Circuit("staging", "open", 5, "2026-12-03T00:00:00Z", 60.0);
        assertThat(open.aged(10).retryAfterSeconds()).isEqualTo(50.0);
        assertThat(open.aged(61).state()).isEqualTo("half_open");
        assertThat(open.aged(61).isOpen()).isFalse();
    }

    @Test
    void the_budget_bounds_an_answer_that_never_comes() throws Exception {
        BudgetedHttp http = new BudgetedHttp(Duration.ofMillis(300), new ObjectMapper(), null);
        try (StandIns.Hanging hanging = new StandIns.Hanging()) {
            long started = System.nanoTime();
            try {
                http.get(java.net.URI.create(hanging.url + "/"), started + Duration.ofMillis(300).toNanos());
            } catch (BudgetedHttp.NoAnswer expected) {
                assertThat(expected.getMessage()).isEqualTo("no answer within the budget");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(290),
                    Duration.ofMillis(800));
        }
    }

    private static boolean close(Timeouts a, Timeouts b) {
        for (String operation : Timeouts.OPERATIONS) {
            if (Math.abs(a.forOperation(operation) - b.forOperation(operation)) > 1e-9) {
                return false;
            }
        }
        return true;
    }
}
