package io.timeoutpolicy.alerts;

/** One rule of SPEC 4.7 that fired: which series, how bad, and the value against its threshold. */
public record AlertSignal(String environment, String operation, String level, String type, String message,
        double value, double threshold) {

    /** Repeats of the same key within the cooldown are one alert. */
    String key() {
        return environment + '/' + operation + '/' + type + '/' + level;
    }
}
