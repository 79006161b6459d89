package io.timeoutpolicy.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import io.timeoutpolicy.platform.problem.FieldError;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** How a candidate is tried before it is promoted (SPEC 10.2). */
@Schema(description = "How a candidate is tried: in shadow (scored only) or served to a canary share of instances.",
        example = "{\"mode\": \"canary\", \"percent\": 10, \"guard\": {\"min_attempts\": 50,"
                + " \"max_violation_rate_increase\": 5.0, \"max_failure_rate_increase\": 5.0}}")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rollout(Mode mode,
        @Schema(nullable = true, description = "Canary only: the share of instances (1–100) served the candidate.")
        Integer percent,
        Guard guard) {

    public enum Mode {
        SHADOW,
        CANARY;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** When the guard rolls a canary back: the canary cohort's rates against the control's, in points. */
    @Schema(description = "The guard of a canary (docs/policy-changes.md).", example = "{\"min_attempts\": 50,"
            + " \"max_violation_rate_increase\": 5.0, \"max_failure_rate_increase\": 5.0}")
    public record Guard(int minAttempts, double maxViolationRateIncrease, double maxFailureRateIncrease) {
    }

    /** The guard's defaults (SPEC 10.2). */
    public static final Guard DEFAULT_GUARD = new Guard(50, 5.0, 5.0);

    /** The rollout as a request gives it: every field may be absent and is checked by {@link #check}. */
    public record Request(String mode, Integer percent, GuardRequest guard) {
    }

    public record GuardRequest(Integer minAttempts, Double maxViolationRateIncrease, Double maxFailureRateIncrease) {
    }

    /** A complete rollout from a request, or the errors that say why not (fields prefixed {@code rollout.}). */
    public static Rollout check(Request request, List<FieldError> errors) {
        if (request == null) {
            errors.add(new FieldError("rollout", "is required: {\"mode\": \"shadow\" | \"canary\", …}"));
            return null;
        }
        Mode mode = null;
        if (request.mode() == null || !List.of("shadow", "canary").contains(request.mode())) {
            errors.add(new FieldError("rollout.mode", "must be shadow or canary"));
        } else {
            mode = Mode.valueOf(request.mode().toUpperCase(Locale.ROOT));
        }
        if (mode == Mode.CANARY && (request.percent() == null || request.percent() < 1 || request.percent() > 100)) {
            errors.add(new FieldError("rollout.percent", "must be an integer from 1 to 100 for a canary"));
        }
        if (mode == Mode.SHADOW && request.percent() != null) {
            errors.add(new FieldError("rollout.percent", "applies to a canary only"));
        }
        GuardRequest g = request.guard() == null ? new GuardRequest(null, null, null) : request.guard();
        int minAttempts = g.minAttempts() == null ? DEFAULT_GUARD.minAttempts() : g.minAttempts();
        double violations = g.maxViolationRateIncrease() == null ? DEFAULT_GUARD.maxViolationRateIncrease()
                : g.maxViolationRateIncrease();
        double failures = g.maxFailureRateIncrease() == null ? DEFAULT_GUARD.maxFailureRateIncrease()
                : g.maxFailureRateIncrease();
        if (minAttempts < 1 || minAttempts > InputLimits.MAX_COUNT) {
            errors.add(new FieldError("rollout.guard.min_attempts", "must be from 1 to " + InputLimits.MAX_COUNT));
        }
        checkPoints(violations, "rollout.guard.max_violation_rate_increase", errors);
        checkPoints(failures, "rollout.guard.max_failure_rate_increase", errors);
        return new Rollout(mode, mode == Mode.CANARY ? request.percent() : null,
                new Guard(minAttempts, violations, failures));
    }

    private static void checkPoints(double value, String field, List<FieldError> errors) {
        if (!Double.isFinite(value) || value < 0 || value > 100) {
            errors.add(new FieldError(field, "must be a number of percentage points from 0 to 100"));
        }
    }

    /** The share of instances a canary serves; 0 in shadow. */
    public int servedPercent() {
        return mode == Mode.CANARY && percent != null ? percent : 0;
    }
}
