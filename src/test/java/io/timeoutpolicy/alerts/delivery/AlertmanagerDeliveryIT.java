package io.timeoutpolicy.alerts.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timeoutpolicy.PackagedJar;
import io.timeoutpolicy.TestDatabase;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * On the packaged jar: with an Alertmanager receiver configured, a slow attempt's critical alert is listed by a
 * real Alertmanager within 5 s of the POST; and with two replicas configured alike, each alert is delivered
 * once, by the replica that raised it (the other streams it, and delivers nothing).
 */
class AlertmanagerDeliveryIT {

    private static final String DATABASE = "timeout_policy_delivery_it";
    private static final String KEY = "delivery-it-key";

    @Test
    void a_slow_attempts_critical_alert_is_in_alertmanager_within_5_seconds_delivered_by_one_replica() throws Exception {
        if (!Alertmanager.isInstalled()) {
            assertThat(System.getenv("CI")).as("CI installs prometheus-alertmanager (.ci/run)").isNotEqualTo("true");
            assumeTrue(false, "prometheus-alertmanager is not installed: apt-get install prometheus-alertmanager");
        }
        Alertmanager alertmanager = new Alertmanager(Webhook.freePort()).start().orElseThrow();
        Webhook hook = new Webhook(Webhook.freePort());
        hook.start();
        TestDatabase.recreate(DATABASE);
        List<String> properties = new ArrayList<>(PackagedJar.localDatabase(DATABASE));
        properties.add("-Dtimeout-policy.security.keys.it.sha256=" + PackagedJar.sha256(KEY));
        properties.add("-Dtimeout-policy.security.keys.it.roles=reporter");
        properties.add("-Dtimeout-policy.alerts.receivers.oncall.url=" + alertmanager.alertsUrl());
        properties.add("-Dtimeout-policy.alerts.receivers.oncall.format=alertmanager");
        properties.add("-Dtimeout-policy.alerts.receivers.hook.url=" + hook.url("/hook"));
        properties.add("-Dtimeout-policy.alerts.receivers.hook.format=json");
        try (PackagedJar service = PackagedJar.start("alertmanager-delivery", properties);
                PackagedJar other = PackagedJar.start("alertmanager-delivery-other", properties)) {
            assertThat(AlertDeliveryTests.eventually(Duration.ofSeconds(20),
                    () -> alertmanager.isReady() ? Optional.of(true) : Optional.empty())).isPresent();
            assertThat(service.log()).contains("Alerts are delivered to oncall (alertmanager");

            // development: connection timeout 20 s, so 19.9 s is over 95 % of it.
            long posted = System.nanoTime();
            HttpResponse<String> raised = service.post("/api/v1/attempts", KEY, "{\"environment\": \"development\","
                    + " \"operation\": \"connection\", \"duration_seconds\": 19.9, \"success\": true}");
            assertThat(raised.statusCode()).as(raised.body()).isEqualTo(201);
            assertThat(raised.body()).contains("\"level\":\"critical\"");

            JsonNode alert = AlertDeliveryTests.eventually(Duration.ofSeconds(5), () -> {
                JsonNode listed = alertmanager.alerts("development");
                return listed.size() > 0 ? Optional.of(listed.get(0)) : Optional.empty();
            }).orElseThrow(() -> new AssertionError("no alert in Alertmanager within 5 s; log:\n" + log(service)));
            Duration took = Duration.ofNanos(System.nanoTime() - posted);
            System.out.printf("Packaged jar: critical alert listed by Alertmanager %d ms after the POST%n",
                    took.toMillis());
            assertThat(took).isLessThan(Duration.ofSeconds(5));
            assertThat(alert.at("/labels/alertname").asText()).isEqualTo("TimeoutPolicyConnectionTime");
            assertThat(alert.at("/labels/severity").asText()).isEqualTo("critical");
            assertThat(new ObjectMapper().readTree(raised.body()).at("/alerts/0/id").asText())
                    .isEqualTo(alert.at("/annotations/alert_id").asText());
            String metrics = service.get("/q/metrics").body();
            assertThat(metrics).contains(
                    "timeout_policy_alert_deliveries_total{outcome=\"delivered\",receiver=\"oncall\"} 1.0");

            // The other replica streams the alert (announced through PostgreSQL) but does not deliver it again.
            String id = alert.at("/annotations/alert_id").asText();
            other.await("/api/v1/alerts?environment=development", r -> r.body().contains(id), Duration.ofSeconds(5));
            Thread.sleep(1000);
            assertThat(hook.received()).extracting(r -> r.header("X-Timeout-Policy-Alert-Id")).containsExactly(id);
            assertThat(other.get("/q/metrics").body()).contains(
                    "timeout_policy_alert_deliveries_total{outcome=\"delivered\",receiver=\"oncall\"} 0.0");
        } finally {
            alertmanager.stop();
            hook.stop();
        }
    }

    private static String log(PackagedJar service) {
        try {
            return service.log();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
