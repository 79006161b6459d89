package io.timeoutpolicy.alerts;

import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An alert (SPEC 4.7); a repeat within the cooldown raises occurrences and last_seen instead of a new one. */
@Schema(description = "An alert raised by recorded attempts.",
        example = "{\"id\": \"6f1c2b7a-55c4-4a3e-9f1e-0c1d2e3f4a5b\", \"environment\": \"staging\", \"operation\":"
                + " \"connection\", \"level\": \"critical\", \"type\": \"connection_time\", \"message\": \"connection"
                + " took 72.0s, more than 95% of its 75.0s timeout\", \"value\": 72.0, \"threshold\": 71.25,"
                + " \"first_seen\": \"2026-11-22T10:15:30Z\", \"last_seen\": \"2026-11-22T10:17:02Z\","
                + " \"occurrences\": 3}")
public record Alert(UUID id, String environment, String operation, String level, String type, String message,
        double value, double threshold, Instant firstSeen, Instant lastSeen, int occurrences) {
}
