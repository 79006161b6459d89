package io.timeoutpolicy.circuit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.timeoutpolicy.history.FailureStreak;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The fleet circuit of an environment (SPEC 4.6): open after {@code failure_threshold} consecutive failed
 * connection attempts, for {@code reset_timeout} seconds after the last one (Resilience4j's
 * wait_duration_in_open_state), then half-open; closed otherwise. Pure: the streak and the time in.
 */
@Schema(description = "Fleet circuit state of an environment (docs/design.md §4.6).",
        example = "{\"environment\": \"staging\", \"state\": \"open\", \"consecutive_failures\": 5,"
                + " \"last_failure_at\": \"2026-11-22T10:15:30Z\", \"retry_after_seconds\": 42.5}")
public record CircuitState(String environment, String state, int consecutiveFailures,
        @Schema(nullable = true, description = "The last failed connection attempt; null when none was recorded.")
        @JsonInclude(JsonInclude.Include.ALWAYS) Instant lastFailureAt,
        @Schema(nullable = true, description = "Seconds until half-open; null unless open.")
        @JsonInclude(JsonInclude.Include.ALWAYS) Double retryAfterSeconds) {

    public static final String CLOSED = "closed";
    public static final String OPEN = "open";
    public static final String HALF_OPEN = "half_open";

    public static CircuitState of(String environment, FailureStreak streak, EnvironmentPolicy.Circuit settings,
            Instant now) {
        if (streak.consecutiveFailures() < settings.failureThreshold()) {
            return new CircuitState(environment, CLOSED, streak.consecutiveFailures(), streak.lastFailureAt(), null);
        }
        double elapsed = Duration.between(streak.lastFailureAt(), now).toNanos() / 1e9;
        if (elapsed < settings.resetTimeout()) {
            return new CircuitState(environment, OPEN, streak.consecutiveFailures(), streak.lastFailureAt(),
                    settings.resetTimeout() - elapsed);
        }
        return new CircuitState(environment, HALF_OPEN, streak.consecutiveFailures(), streak.lastFailureAt(), null);
    }
}
