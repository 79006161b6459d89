package io.timeoutpolicy.policy;

import io.timeoutpolicy.platform.problem.FieldError;
import java.time.Duration;
import java.util.List;

/**
 * The bounds beyond the spec that every request is checked against, in one place (docs/design.md, "Bounds beyond
 * the spec"), with the checks that several requests share. A field outside them is a 400 naming it.
 */
public final class InputLimits {

    /** Durations, timeouts, delays and candidate timeouts: at most a day. */
    public static final double MAX_SECONDS = 86_400;
    /**
     * The shortest timeout an attempt may report: a millisecond. Below it a value is noise (5e-324 would be
     * reported as "exceeded limit 0.0s") and no client can time out that fast.
     */
    public static final double MIN_TIMEOUT_SECONDS = 0.001;
    /** Counts: samples, thresholds, critical failures. */
    public static final int MAX_COUNT = 1_000_000;
    /** Free text such as service, instance, deployment, requested_by. */
    public static final int MAX_TEXT = 128;
    /** Failure types and pressure indicators in one request or policy. */
    public static final int MAX_FAILURE_TYPES = 64;
    /** One failure type or indicator name. */
    public static final int MAX_NAME_LENGTH = 64;
    /** The shortest window a query or policy may name. */
    public static final Duration MIN_WINDOW = Duration.ofMinutes(1);

    private InputLimits() {
    }

    /** Free text of at most {@link #MAX_TEXT} characters (absent is fine). */
    public static void text(String value, String field, List<FieldError> errors) {
        if (value != null && value.length() > MAX_TEXT) {
            errors.add(new FieldError(field, "must be at most " + MAX_TEXT + " characters"));
        }
    }

    /** At most {@link #MAX_FAILURE_TYPES} non-blank names of at most {@link #MAX_NAME_LENGTH} characters. */
    public static void failureTypes(List<String> types, String field, List<FieldError> errors) {
        if (types == null) {
            return;
        }
        if (types.size() > MAX_FAILURE_TYPES) {
            errors.add(new FieldError(field, "must have at most " + MAX_FAILURE_TYPES + " entries"));
            return;
        }
        for (int i = 0; i < types.size(); i++) {
            String type = types.get(i);
            if (type == null || type.isBlank() || type.length() > MAX_NAME_LENGTH) {
                errors.add(new FieldError(field + "[" + i + "]",
                        "must be a non-blank string of at most " + MAX_NAME_LENGTH + " characters"));
            }
        }
    }
}
