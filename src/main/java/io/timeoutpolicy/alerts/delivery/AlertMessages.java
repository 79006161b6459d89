package io.timeoutpolicy.alerts.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timeoutpolicy.alerts.Alert;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The bodies of SPEC 4.9, one per format: pure, so each is tested field by field. */
final class AlertMessages {

    static final String SIGNATURE_HEADER = "X-Timeout-Policy-Signature";
    static final String ALERT_ID_HEADER = "X-Timeout-Policy-Alert-Id";

    private final ObjectMapper mapper;
    private final URI dashboard;

    AlertMessages(ObjectMapper mapper, URI dashboard) {
        this.mapper = mapper;
        this.dashboard = dashboard;
    }

    /** What {@code receiver} is posted for the alert; {@code cooldown} is its environment's (for endsAt). */
    Outgoing outgoing(Receiver receiver, Alert alert, Duration cooldown, long queuedAt) {
        byte[] body = json(switch (receiver.format()) {
            case ALERTMANAGER -> List.of(alertmanager(alert, cooldown));
            case JSON -> alert;
            case SLACK -> Map.of("text", slack(alert));
        });
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put(ALERT_ID_HEADER, alert.id().toString());
        receiver.secret().ifPresent(secret -> headers.put(SIGNATURE_HEADER, signature(body, secret)));
        return new Outgoing(alert.id(), body, Map.copyOf(headers), 0, queuedAt);
    }

    /**
     * One Alertmanager alert: the labels identify it (a repeat updates the same alert), {@code endsAt} is when
     * it resolves unless repeated again.
     */
    Map<String, Object> alertmanager(Alert alert, Duration cooldown) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", alertName(alert.type()));
        labels.put("environment", alert.environment());
        labels.put("operation", alert.operation());
        labels.put("severity", alert.level());
        labels.put("type", alert.type());
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", alert.message());
        annotations.put("value", Double.toString(alert.value()));
        annotations.put("threshold", Double.toString(alert.threshold()));
        annotations.put("alert_id", alert.id().toString());
        annotations.put("occurrences", Integer.toString(alert.occurrences()));
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("labels", labels);
        message.put("annotations", annotations);
        message.put("startsAt", alert.firstSeen().toString());
        message.put("endsAt", alert.lastSeen().plus(cooldown).toString());
        message.put("generatorURL", link(alert));
        return message;
    }

    String slack(Alert alert) {
        return String.format(Locale.ROOT, "%s %s on %s/%s: %s (value %s, threshold %s) <%s|dashboard>",
                "critical".equals(alert.level()) ? ":rotating_light:" : ":warning:",
                alert.level().toUpperCase(Locale.ROOT), alert.environment(), alert.operation(), alert.message(),
                alert.value(), alert.threshold(), link(alert));
    }

    /** {@code connection_time} → {@code TimeoutPolicyConnectionTime}. */
    static String alertName(String type) {
        StringBuilder name = new StringBuilder("TimeoutPolicy");
        for (String word : type.split("_")) {
            if (!word.isEmpty()) {
                name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return name.toString();
    }

    static String signature(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The dashboard showing the alert's environment, the configured address kept as it is. */
    private String link(Alert alert) {
        String base = dashboard.toString();
        return base + (base.contains("?") ? '&' : '?') + "environment="
                + URLEncoder.encode(alert.environment(), StandardCharsets.UTF_8);
    }

    private byte[] json(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an alert is always writable", e);
        }
    }
}
