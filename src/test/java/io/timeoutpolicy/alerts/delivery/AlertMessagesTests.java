package io.timeoutpolicy.alerts.delivery;

import static io.timeoutpolicy.alerts.delivery.ReceiverTests.alert;
import static io.timeoutpolicy.alerts.delivery.ReceiverTests.settings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The three formats of SPEC 4.9, field by field. */
class AlertMessagesTests {

    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    private static final AlertMessages MESSAGES = new AlertMessages(MAPPER, URI.create("https://tps.example/"));

    @Test
    void alertmanager_labels_identify_the_alert_and_ends_at_is_last_seen_plus_the_cooldown() throws Exception {
        Receiver receiver = Receiver.of("am", settings(Format.ALERTMANAGER, null, null));
        Outgoing outgoing = MESSAGES.outgoing(receiver, alert("staging", "critical"), Duration.ofMinutes(5), 7L);

        JsonNode body = MAPPER.readTree(outgoing.body());
        assertThat(body.isArray()).isTrue();
        JsonNode first = body.get(0);
        assertThat(MAPPER.convertValue(first.get("labels"), Map.class)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "alertname", "TimeoutPolicyConnectionTime", "environment", "staging", "operation", "connection",
                "severity", "critical", "type", "connection_time"));
        assertThat(first.at("/annotations/summary").asText()).startsWith("connection took 19.5s");
        assertThat(first.at("/annotations/value").asText()).isEqualTo("19.5");
        assertThat(first.at("/annotations/threshold").asText()).isEqualTo("19.0");
        assertThat(first.at("/annotations/alert_id").asText()).isEqualTo("6f1c2b7a-55c4-4a3e-9f1e-0c1d2e3f4a5b");
        assertThat(first.at("/annotations/occurrences").asText()).isEqualTo("3");
        assertThat(first.get("startsAt").asText()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(first.get("endsAt").asText()).isEqualTo("2026-12-01T10:06:30Z"); // 10:01:30 + 5 min
        assertThat(first.get("generatorURL").asText()).isEqualTo("https://tps.example/?environment=staging");
        assertThat(outgoing.headers()).containsEntry("Content-Type", "application/json")
                .containsEntry("X-Timeout-Policy-Alert-Id", "6f1c2b7a-55c4-4a3e-9f1e-0c1d2e3f4a5b")
                .doesNotContainKey("X-Timeout-Policy-Signature");
        assertThat(outgoing.failures()).isZero();
        assertThat(outgoing.queuedAt()).isEqualTo(7L);
    }

    @Test
    void json_is_the_alert_document_signed_with_the_hmac_of_the_exact_body() throws Exception {
        Receiver signed = new Receiver("hook", URI.create("http://hook"), Format.JSON, Optional.of("s3cret"), false,
                Optional.empty());
        Outgoing outgoing = MESSAGES.outgoing(signed, alert("staging", "warning"), Duration.ofMinutes(5), 0L);

        JsonNode body = MAPPER.readTree(outgoing.body());
        assertThat(body.get("id").asText()).isEqualTo("6f1c2b7a-55c4-4a3e-9f1e-0c1d2e3f4a5b");
        assertThat(body.get("level").asText()).isEqualTo("warning");
        assertThat(body.get("last_seen").asText()).isEqualTo("2026-12-01T10:01:30Z");
        assertThat(body.get("occurrences").asInt()).isEqualTo(3);
        // The value openssl computes: printf '{}' | openssl dgst -sha256 -hmac s3cret
        assertThat(AlertMessages.signature("{}".getBytes(StandardCharsets.UTF_8), "s3cret"))
                .isEqualTo("sha256=adbde1ce40c89c14215687d5d762a47df6dfaefcfad61e2e86718ffc8498571b");
        assertThat(outgoing.headers().get("X-Timeout-Policy-Signature"))
                .isEqualTo(AlertMessages.signature(outgoing.body(), "s3cret"));
    }

    @Test
    void slack_is_one_line_of_text_with_the_level_the_series_and_a_link() throws Exception {
        Receiver chat = Receiver.of("chat", settings(Format.SLACK, null, Set.of("staging")));
        Outgoing outgoing = MESSAGES.outgoing(chat, alert("staging", "critical"), Duration.ofMinutes(5), 0L);

        assertThat(MAPPER.readTree(outgoing.body()).get("text").asText()).isEqualTo(":rotating_light: CRITICAL on"
                + " staging/connection: connection took 19.5s, more than 95% of its 20.0s timeout (value 19.5,"
                + " threshold 19.0) <https://tps.example/?environment=staging|dashboard>");
    }

    @Test
    void alert_names_are_the_type_in_pascal_case() {
        assertThat(AlertMessages.alertName("connection_time")).isEqualTo("TimeoutPolicyConnectionTime");
        assertThat(AlertMessages.alertName("violation_rate")).isEqualTo("TimeoutPolicyViolationRate");
    }
}
