package io.timeoutpolicy.alerts.delivery;

import static io.restassured.RestAssured.given;
import static io.timeoutpolicy.TestEnvironments.attempt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.timeoutpolicy.MovableClock;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestEnvironments;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SPEC 4.9 against real receivers: a critical alert raised by a POST reaches a real Alertmanager with its
 * labels and resolves after its endsAt; the json format arrives signed; a receiver answering 500, hanging or
 * down delays no request and gets the alert once it recovers.
 */
@QuarkusTest
@TestProfile(AlertReceivers.class)
class AlertDeliveryTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Webhook HOOKS = new Webhook(AlertReceivers.port("hooks"));
    private static final Webhook FLAKY = new Webhook(AlertReceivers.port("flaky"));
    private static Optional<Alertmanager> alertmanager;

    @Inject
    MovableClock clock;

    @BeforeAll
    static void startReceivers() {
        TestApi.configure();
        HOOKS.start();
        FLAKY.start();
        alertmanager = new Alertmanager(AlertReceivers.port("alertmanager")).start();
    }

    @AfterAll
    static void stopReceivers() {
        HOOKS.stop();
        FLAKY.stop();
        alertmanager.ifPresent(Alertmanager::stop);
    }

    @Test
    void a_critical_alert_is_in_alertmanager_within_5_seconds_with_its_labels_and_resolves_after_its_end()
            throws Exception {
        if (alertmanager.isEmpty()) {
            assertThat(System.getenv("CI")).as("CI installs prometheus-alertmanager (.ci/run)").isNotEqualTo("true");
            assumeTrue(false, "prometheus-alertmanager is not installed: apt-get install prometheus-alertmanager");
        }
        Alertmanager am = alertmanager.get();
        assertThat(eventually(Duration.ofSeconds(20), () -> am.isReady() ? Optional.of(true) : Optional.empty()))
                .as("Alertmanager ready").isPresent();
        String environment = TestEnvironments.create(false, TestEnvironments.DEVELOPMENT_BASES,
                ", \"alerts\": {\"cooldown\": \"PT1M\"}");
        // Raised 57 s in the past by the service's clock, so that endsAt (last_seen + the 1 min cooldown) is 3 s
        // away and the resolution can be watched without waiting a minute.
        clock.advance(Duration.ofSeconds(-57));
        try {
            raiseCritical(environment);
        } finally {
            clock.advance(Duration.ofSeconds(57));
        }
        Instant posted = Instant.now();

        JsonNode alert = eventually(Duration.ofSeconds(5), () -> first(am.alerts(environment))).orElseThrow(
                () -> new AssertionError("no alert for " + environment + " in Alertmanager within 5 s"));
        Duration took = Duration.between(posted, Instant.now());
        System.out.printf("Critical alert listed by Alertmanager %d ms after the POST was answered%n", took.toMillis());
        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(alert.at("/labels/alertname").asText()).isEqualTo("TimeoutPolicyConnectionTime");
        assertThat(alert.at("/labels/environment").asText()).isEqualTo(environment);
        assertThat(alert.at("/labels/operation").asText()).isEqualTo("connection");
        assertThat(alert.at("/labels/severity").asText()).isEqualTo("critical");
        assertThat(alert.at("/labels/type").asText()).isEqualTo("connection_time");
        assertThat(alert.at("/annotations/value").asText()).isEqualTo("19.5");
        assertThat(alert.at("/annotations/threshold").asText()).isEqualTo("19.0");
        assertThat(alert.at("/annotations/summary").asText()).contains("19.5");
        assertThat(alert.at("/generatorURL").asText()).isEqualTo("http://dashboard.test/?environment=" + environment);
        assertThat(alert.at("/status/state").asText()).isEqualTo("active");
        Instant endsAt = Instant.parse(alert.at("/endsAt").asText());
        assertThat(endsAt).isBetween(posted.minusSeconds(1), posted.plusSeconds(6));

        Optional<Boolean> resolved = eventually(Duration.ofSeconds(15),
                () -> am.alerts(environment).isEmpty() ? Optional.of(true) : Optional.empty());
        assertThat(resolved).as("resolved (no longer listed) after endsAt " + endsAt).isPresent();
        assertThat(Instant.now()).isAfter(endsAt);
    }

    @Test
    void the_json_receiver_gets_the_alert_document_signed_with_its_secret_and_slack_a_text() throws Exception {
        String environment = TestEnvironments.developmentLike();
        String id = raiseCritical(environment);

        Webhook.Received signed = eventually(Duration.ofSeconds(5), () -> find(HOOKS, "/signed", id))
                .orElseThrow(() -> new AssertionError("alert " + id + " not posted to the json receiver"));
        assertThat(signed.header("Content-Type")).isEqualTo("application/json");
        assertThat(signed.header("X-Timeout-Policy-Signature"))
                .isEqualTo(AlertMessages.signature(signed.body(), AlertReceivers.SECRET))
                .matches("sha256=[0-9a-f]{64}");
        JsonNode document = JSON.readTree(signed.body());
        assertThat(document.get("id").asText()).isEqualTo(id);
        assertThat(document.get("environment").asText()).isEqualTo(environment);
        assertThat(document.get("level").asText()).isEqualTo("critical");
        assertThat(document.get("first_seen").asText()).isNotBlank();
        assertThat(document.get("occurrences").asInt()).isEqualTo(1);

        Webhook.Received chat = eventually(Duration.ofSeconds(5), () -> find(HOOKS, "/chat", id))
                .orElseThrow(() -> new AssertionError("alert " + id + " not posted to the slack receiver"));
        assertThat(chat.header("X-Timeout-Policy-Signature")).isNull();
        assertThat(JSON.readTree(chat.body()).get("text").asText())
                .startsWith(":rotating_light: CRITICAL on " + environment + "/connection")
                .contains("<http://dashboard.test/?environment=" + environment + "|dashboard>");
    }

    @Test
    void a_receiver_answering_500_delays_nothing_and_gets_the_alert_once_it_recovers() throws Exception {
        recovers(Webhook.Mode.ERROR);
    }

    @Test
    void a_receiver_hanging_beyond_its_timeout_delays_nothing_and_gets_the_alert_once_it_recovers()
            throws Exception {
        recovers(Webhook.Mode.HANG);
    }

    @Test
    void a_receiver_that_is_down_delays_nothing_and_gets_the_alert_once_it_is_back() throws Exception {
        Webhook flaky = FLAKY;
        flaky.stop();
        String id;
        try {
            id = raiseCritical(TestEnvironments.developmentLike());
            Thread.sleep(1500);
            assertThat(find(flaky, "/flaky", id)).isEmpty();
        } finally {
            flaky.start();
        }
        assertThat(eventually(Duration.ofSeconds(10), () -> find(flaky, "/flaky", id))).isPresent();
        assertThat(deliveries("flaky", "retried")).isPositive();
    }

    private void recovers(Webhook.Mode failing) throws Exception {
        Webhook flaky = FLAKY;
        int refusedBefore = flaky.refused();
        double retriedBefore = deliveries("flaky", "retried");
        flaky.mode(failing);
        String id;
        try {
            id = raiseCritical(TestEnvironments.developmentLike());
            assertThat(eventually(Duration.ofSeconds(5),
                    () -> flaky.refused() > refusedBefore ? Optional.of(true) : Optional.empty())).isPresent();
            assertThat(find(flaky, "/flaky", id)).isEmpty();
        } finally {
            flaky.mode(Webhook.Mode.OK);
        }
        assertThat(eventually(Duration.ofSeconds(10), () -> find(flaky, "/flaky", id)))
                .as("alert %s delivered once %s is over", id, failing).isPresent();
        assertThat(deliveries("flaky", "retried")).isGreaterThan(retriedBefore);
        assertThat(deliveries("flaky", "delivered")).isPositive();
    }

    /**
     * Posts an attempt whose connection took 19.5 s of a 20 s timeout; answers the critical alert's id. The
     * request is answered with the alert while every receiver is still to be posted, so no receiver, failing
     * or not, can hold it: the answer comes well inside the delivery timeout (500 ms).
     */
    private static String raiseCritical(String environment) {
        long started = System.nanoTime();
        JsonPath answer = given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON)
                .body(attempt(environment, 19.5, true)).post("/api/v1/attempts").then()
                .statusCode(201).extract().jsonPath();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(450));
        assertThat(answer.getString("alerts[0].level")).isEqualTo("critical");
        return answer.getString("alerts[0].id");
    }

    private static Optional<Webhook.Received> find(Webhook hook, String path, String alertId) {
        return hook.received().stream().filter(r -> r.path().equals(path))
                .filter(r -> alertId.equals(r.header("X-Timeout-Policy-Alert-Id"))).findFirst();
    }

    private static Optional<JsonNode> first(JsonNode alerts) {
        return alerts.isArray() && alerts.size() > 0 ? Optional.of(alerts.get(0)) : Optional.empty();
    }

    private static double deliveries(String receiver, String outcome) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        String prefix = "timeout_policy_alert_deliveries_total{";
        return metrics.lines().filter(l -> l.startsWith(prefix) && l.contains("receiver=\"" + receiver + "\"")
                        && l.contains("outcome=\"" + outcome + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Asks until an answer is present or the time is up; the receivers work in the background. */
    static <T> Optional<T> eventually(Duration within, Callable<Optional<T>> probe) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            Optional<T> answer = probe.call();
            if (answer.isPresent() || System.nanoTime() > deadline) {
                return answer;
            }
            Thread.sleep(50);
        }
    }
}
