package io.timeoutpolicy.policy;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a policy version stands (SPEC 10.2). */
public enum VersionStatus {
    /** Served to every instance (but a canary's cohort). */
    CURRENT,
    /** Was current; a newer version replaced it. */
    SUPERSEDED,
    /** Proposed: scored in shadow, or served to a canary cohort; at most one per environment. */
    CANDIDATE,
    /** A candidate an operator withdrew, or replaced with another. */
    ABORTED,
    /** A candidate the guard withdrew because its cohort suffered. */
    ROLLED_BACK;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static VersionStatus fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
