package io.timeoutpolicy.rollout;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a recommendation proposes for one key (SPEC 10.1). */
public enum Action {
    RAISE,
    LOWER,
    KEEP,
    INSUFFICIENT_DATA;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the candidate document changes the key. */
    public boolean changes() {
        return this == RAISE || this == LOWER;
    }
}
