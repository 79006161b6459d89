package io.timeoutpolicy.alerts;

import io.timeoutpolicy.history.Attempt;
import io.timeoutpolicy.history.WindowStats;
import io.timeoutpolicy.platform.Decimals;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SPEC 4.7 as pure code: the rules for one recorded attempt and for its series' rates. */
public final class AlertRules {

    public static final String WARNING = "warning";
    public static final String CRITICAL = "critical";
    public static final String CONNECTION_TIME = "connection_time";
    public static final String SUCCESS_RATE = "success_rate";
    public static final String TIMEOUT_VIOLATIONS = "timeout_violations";

    static final double CRITICAL_SHARE_OF_TIMEOUT = 0.95;
    static final double WARNING_SHARE_OF_TIMEOUT = 0.8;
    static final int SUCCESS_RATE_MIN_ATTEMPTS = 10;
    static final double SUCCESS_RATE_WARNING = 90;
    static final double SUCCESS_RATE_CRITICAL = 80;
    static final int VIOLATIONS_MIN_ATTEMPTS = 5;
    static final double VIOLATIONS_WARNING = 20;
    static final double VIOLATIONS_CRITICAL = 40;

    private AlertRules() {
    }

    /** How close the attempt came to the timeout in force: above 0.95 critical, above 0.8 warning. */
    public static Optional<AlertSignal> connectionTime(Attempt a) {
        double t = a.timeoutSeconds();
        double d = a.durationSeconds();
        String operation = a.operation().wireName();
        if (d > CRITICAL_SHARE_OF_TIMEOUT * t) {
            return Optional.of(new AlertSignal(a.environment(), operation, CRITICAL, CONNECTION_TIME, operation
                    + " took " + s(d) + ", more than 95% of its " + s(t) + " timeout", d, CRITICAL_SHARE_OF_TIMEOUT * t));
        }
        if (d > WARNING_SHARE_OF_TIMEOUT * t) {
            return Optional.of(new AlertSignal(a.environment(), operation, WARNING, CONNECTION_TIME, operation
                    + " took " + s(d) + ", more than 80% of its " + s(t) + " timeout", d, WARNING_SHARE_OF_TIMEOUT * t));
        }
        return Optional.empty();
    }

    /** The rates of the series in the window, the recorded attempts included. */
    public static List<AlertSignal> rates(String environment, String operation, WindowStats window) {
        List<AlertSignal> signals = new ArrayList<>();
        double sr = window.successRate();
        if (window.count() >= SUCCESS_RATE_MIN_ATTEMPTS && sr < SUCCESS_RATE_WARNING) {
            boolean critical = sr < SUCCESS_RATE_CRITICAL;
            double threshold = critical ? SUCCESS_RATE_CRITICAL : SUCCESS_RATE_WARNING;
            signals.add(new AlertSignal(environment, operation, critical ? CRITICAL : WARNING, SUCCESS_RATE,
                    operation + " success rate " + Decimals.oneDecimal(sr) + "% over " + window.count()
                            + " attempts is below " + Decimals.factor(threshold) + "%", sr, threshold));
        }
        double vr = window.violationRate();
        if (window.count() >= VIOLATIONS_MIN_ATTEMPTS && vr > VIOLATIONS_WARNING) {
            boolean critical = vr > VIOLATIONS_CRITICAL;
            double threshold = critical ? VIOLATIONS_CRITICAL : VIOLATIONS_WARNING;
            signals.add(new AlertSignal(environment, operation, critical ? CRITICAL : WARNING, TIMEOUT_VIOLATIONS,
                    operation + " timeout violation rate " + Decimals.oneDecimal(vr) + "% over " + window.count()
                            + " attempts is above " + Decimals.factor(threshold) + "%", vr, threshold));
        }
        return signals;
    }

    private static String s(double seconds) {
        return Decimals.oneDecimal(seconds) + "s";
    }
}
