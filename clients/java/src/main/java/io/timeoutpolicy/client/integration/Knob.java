package io.timeoutpolicy.client.integration;

/**
 * One manager setting computed from a served value (SPEC 9.2): {@code name} as the manager spells it, the served
 * value in the service's unit ({@code servedSeconds}, or a count), the value to apply in the manager's
 * {@code unit}, and {@code change} when rounding or a floor made the two differ (null when exact).
 */
public record Knob(String name, String servedKey, double served, long applied, String unit, String change) {

    /** As the log line says it: {@code connectTimeout = 3 s (served connection_timeout 2.2 s: rounded up …)}. */
    public String describe() {
        String servedText = unit.equals("connections") ? String.valueOf((long) served) : trim(served) + " s";
        return name + " = " + applied + " " + unit + " (served " + servedKey + " " + servedText
                + (change == null ? "" : ": " + change) + ")";
    }

    static String trim(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
