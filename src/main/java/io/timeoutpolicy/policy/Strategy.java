package io.timeoutpolicy.policy;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** How adaptive timeouts are computed for an environment (SPEC 4.2, 4.3). */
public enum Strategy {
    HEURISTIC("heuristic"),
    PERCENTILE("percentile");

    private final String wireName;

    Strategy(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public static Optional<Strategy> fromWireName(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(Strategy::wireName).toList();
    }
}
