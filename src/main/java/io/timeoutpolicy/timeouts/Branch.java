package io.timeoutpolicy.timeouts;

import com.fasterxml.jackson.annotation.JsonValue;

/** Which rule of SPEC 4.2/4.3 produced a timeout. */
public enum Branch {
    STATIC,
    INSUFFICIENT_DATA,
    HEURISTIC,
    PERCENTILE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
