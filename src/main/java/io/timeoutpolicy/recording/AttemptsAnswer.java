package io.timeoutpolicy.recording;

import io.timeoutpolicy.alerts.Alert;
import io.timeoutpolicy.history.Attempt;
import io.timeoutpolicy.platform.Decimals;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to POST /attempts (SPEC 5). */
@Schema(description = "What was recorded.",
        example = "{\"recorded\": 2, \"duplicates\": 1, \"violations\":"
                + " [\"Database connection timeout: 35.0s exceeded limit 30.0s\"], \"alerts\": []}")
public record AttemptsAnswer(
        @Schema(description = "Attempts stored by this request.") int recorded,
        @Schema(description = "Attempts whose id was already recorded (earlier, or earlier in this request).")
        int duplicates,
        @Schema(description = "One message per recorded timeout violation (docs/design.md §4.8).") List<String> violations,
        @Schema(description = "Alerts raised or repeated by the recorded attempts.") List<Alert> alerts) {

    /** SPEC 4.8: one decimal, half up, whatever the machine's locale. */
    static String violationMessage(Attempt attempt) {
        return "Database " + attempt.operation().wireName() + " timeout: "
                + Decimals.oneDecimal(attempt.durationSeconds()) + "s exceeded limit "
                + Decimals.oneDecimal(attempt.timeoutSeconds()) + "s";
    }
}
