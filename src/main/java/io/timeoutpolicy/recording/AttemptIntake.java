package io.timeoutpolicy.recording;

import io.timeoutpolicy.history.Attempt;
import io.timeoutpolicy.platform.problem.FieldError;
import io.timeoutpolicy.platform.problem.ProblemException;
import io.timeoutpolicy.policy.EnvironmentName;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.policy.InputLimits;
import io.timeoutpolicy.policy.Operation;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Checks a batch of reported attempts whole before anything is written (SPEC 5): malformed fields are a
 * 400 listing every one, environments without a policy a 422. Decides each attempt's timeout in force
 * and violation (SPEC 2). Pure: the policies and the time come in as values.
 */
public final class AttemptIntake {

    static final Duration MAX_AHEAD = Duration.ofMinutes(5);

    /** The attempts to store, and how many repeated an id given earlier in the same request. */
    public record Accepted(List<Attempt> attempts, int duplicates) {
    }

    private final Instant now;
    /** The occurred_at of an attempt that gives none: now, to the microsecond PostgreSQL keeps. */
    private final Instant nowMicros;
    private final Duration retention;
    private final Function<String, Optional<EnvironmentPolicy>> policies;
    private final List<FieldError> invalid = new ArrayList<>();
    private final List<FieldError> unknown = new ArrayList<>();
    /** The last environment found, as given, and its policy. */
    private String lastEnvironment;
    private Optional<EnvironmentPolicy> lastPolicy;

    private AttemptIntake(Instant now, Duration retention, Function<String, Optional<EnvironmentPolicy>> policies) {
        this.now = now;
        this.nowMicros = now.truncatedTo(ChronoUnit.MICROS);
        this.retention = retention;
        this.policies = policies;
    }

    /**
     * @param prefixes the path prefix of each request in the body ({@code "[3]."}, or {@code ""} for a single object)
     * @throws ProblemException 400 for invalid fields, 422 for unknown environments
     */
    public static Accepted check(List<AttemptRequest> requests, List<String> prefixes, Instant now,
            Duration retention, Function<String, Optional<EnvironmentPolicy>> policies, List<FieldError> earlier) {
        AttemptIntake intake = new AttemptIntake(now, retention, policies);
        intake.invalid.addAll(earlier);
        List<Attempt> attempts = new ArrayList<>();
        Set<UUID> ids = new HashSet<>();
        int duplicates = 0;
        for (int i = 0; i < requests.size(); i++) {
            Attempt attempt = intake.attempt(requests.get(i), prefixes.get(i));
            if (attempt == null) {
                continue;
            }
            if (ids.add(attempt.id())) {
                attempts.add(attempt);
            } else {
                duplicates++;
            }
        }
        intake.throwIfRejected();
        return new Accepted(List.copyOf(attempts), duplicates);
    }

    private void throwIfRejected() {
        if (!invalid.isEmpty()) {
            throw ProblemException.invalid("The request has " + invalid.size() + " invalid field(s); nothing was"
                    + " recorded", invalid);
        }
        if (!unknown.isEmpty()) {
            throw ProblemException.unprocessable("unknown-environment", "No policy for " + unknown.size()
                    + " environment(s) named in the request; nothing was recorded", unknown);
        }
    }

    private Attempt attempt(AttemptRequest r, String at) {
        int before = invalid.size() + unknown.size();
        // Field names are spelled (at + name) only for an error: an accepted batch makes none.
        UUID id = id(r.id(), at);
        Optional<EnvironmentPolicy> policy = environment(r.environment(), at);
        Operation operation = operation(r.operation(), at);
        double duration = seconds(r.durationSeconds(), at, "duration_seconds", true, 0.0);
        Boolean success = r.success();
        if (success == null) {
            invalid.add(new FieldError(at + "success", "is required"));
        }
        Double timeout = r.timeoutSeconds() == null ? null
                : seconds(r.timeoutSeconds(), at, "timeout_seconds", false, InputLimits.MIN_TIMEOUT_SECONDS);
        String failureType = text(r.failureType(), at, "failure_type");
        String service = text(r.service(), at, "service");
        String instance = text(r.instance(), at, "instance");
        Instant occurredAt = occurredAt(r.occurredAt(), at);
        Integer policyVersion = policyVersion(r.policyVersion(), at);
        if (invalid.size() + unknown.size() > before || policy.isEmpty()) {
            return null;
        }
        // SPEC 2: the timeout in force is the client's, else the base timeout now; decided once, here.
        double inForce = timeout != null ? timeout : policy.get().baseTimeouts().of(operation);
        return new Attempt(id, policy.get().environment(), operation, duration, success, inForce,
                Attempt.violates(duration, inForce), failureType, service, instance, occurredAt, policyVersion);
    }

    private UUID id(String given, String at) {
        if (given == null) {
            return UUID.randomUUID();
        }
        try {
            return UUID.fromString(given);
        } catch (IllegalArgumentException e) {
            invalid.add(new FieldError(at + "id", "must be a UUID"));
            return null;
        }
    }

    private Optional<EnvironmentPolicy> environment(String given, String at) {
        if (given == null) {
            invalid.add(new FieldError(at + "environment", "is required"));
            return Optional.empty();
        }
        // A batch names one environment, mostly: each run of one spelling is normalized and looked up once.
        if (given.equals(lastEnvironment)) {
            return lastPolicy;
        }
        Optional<String> name = EnvironmentName.normalize(given);
        if (name.isEmpty()) {
            invalid.add(new FieldError(at + "environment", "must match " + EnvironmentName.FORM
                    + " (case-insensitive)"));
            return Optional.empty();
        }
        Optional<EnvironmentPolicy> policy = policies.apply(name.get());
        if (policy.isEmpty()) {
            unknown.add(new FieldError(at + "environment", "unknown environment '" + name.get() + "'"));
        } else {
            lastEnvironment = given;
            lastPolicy = policy;
        }
        return policy;
    }

    private Operation operation(String given, String at) {
        if (given == null) {
            invalid.add(new FieldError(at + "operation", "is required"));
            return null;
        }
        Operation operation = Operation.byWireName(given);
        if (operation == null) {
            invalid.add(new FieldError(at + "operation", "must be one of " + Operation.wireNames()));
        }
        return operation;
    }

    private double seconds(Double given, String at, String name, boolean required, double min) {
        if (given == null) {
            if (required) {
                invalid.add(new FieldError(at + name, "is required"));
            }
            return 0.0;
        }
        if (!Double.isFinite(given) || given < min || given > InputLimits.MAX_SECONDS) {
            invalid.add(new FieldError(at + name, "must be at least " + (min > 0 ? String.valueOf(min) : "0")
                    + " and at most " + (long) InputLimits.MAX_SECONDS));
        }
        return given;
    }

    private Integer policyVersion(Long given, String at) {
        if (given == null) {
            return null;
        }
        if (given < 1 || given > Integer.MAX_VALUE) {
            invalid.add(new FieldError(at + "policy_version", "must be an integer from 1 to " + Integer.MAX_VALUE));
            return null;
        }
        return given.intValue();
    }

    private String text(String given, String at, String name) {
        if (given != null && given.length() > InputLimits.MAX_TEXT) {
            InputLimits.text(given, at + name, invalid);
        }
        return given;
    }

    private Instant occurredAt(String given, String at) {
        if (given == null) {
            return nowMicros;
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(given).toInstant().truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            invalid.add(new FieldError(at + "occurred_at", "must be an ISO-8601 instant such as 2026-11-22T10:15:30Z"));
            return now;
        }
        if (instant.isAfter(now.plus(MAX_AHEAD))) {
            invalid.add(new FieldError(at + "occurred_at", "must not be more than 5 minutes in the future"));
        } else if (instant.isBefore(now.minus(retention))) {
            invalid.add(new FieldError(at + "occurred_at", "must not be older than the retention period (" + retention + ")"));
        }
        return instant;
    }
}
