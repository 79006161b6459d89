package io.timeoutpolicy.policy;

import io.timeoutpolicy.platform.problem.ProblemException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A database operation a backend performs at start-up (SPEC 2), in the order answers list them. */
public enum Operation {
    INITIALIZATION("initialization"),
    TABLE_SETUP("table_setup"),
    CONNECTION("connection"),
    POOL("pool"),
    HEALTH_CHECK("health_check");

    private static final Operation[] ALL = values();

    private final String wireName;

    Operation(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in requests and stored attempts, e.g. {@code table_setup}. */
    public String wireName() {
        return wireName;
    }

    /** The key of this operation's timeout, e.g. {@code connection_timeout}. */
    public String timeoutKey() {
        return wireName + "_timeout";
    }

    public static Optional<Operation> fromWireName(String name) {
        return Optional.ofNullable(byWireName(name));
    }

    /** The operation of a wire name, or null; no allocation (it runs for every recorded attempt). */
    public static Operation byWireName(String name) {
        for (Operation op : ALL) {
            if (op.wireName.equals(name)) {
                return op;
            }
        }
        return null;
    }

    public static Optional<Operation> fromTimeoutKey(String key) {
        return Arrays.stream(values()).filter(op -> op.timeoutKey().equals(key)).findFirst();
    }

    /** An operation by name ({@code connection}) or key ({@code connection_timeout}), any case; else a 400. */
    public static Operation require(String name) {
        String lower = name.trim().toLowerCase(Locale.ROOT);
        return fromWireName(lower).or(() -> fromTimeoutKey(lower)).orElseThrow(() -> ProblemException.invalidField(
                "operation", "unknown operation '" + name + "'; allowed: " + wireNames()));
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(Operation::wireName).toList();
    }

    public static List<String> timeoutKeys() {
        return Arrays.stream(values()).map(Operation::timeoutKey).toList();
    }
}
