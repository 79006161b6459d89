package io.timeoutpolicy.timeouts;

import io.timeoutpolicy.history.ConnectionHistory;
import io.timeoutpolicy.platform.Decimals;
import java.util.ArrayList;
import java.util.List;

/** Step 3 of SPEC 4.2: one multiplier for all five timeouts, from the trend, success and violation rates. */
record HeuristicMultiplier(double value, List<String> reasons) {

    static final double RECENT_SLOWER = 1.3;
    static final double RECENT_FASTER = 0.7;
    static final double LOW_SUCCESS_RATE = 90;
    static final double HIGH_SUCCESS_RATE = 98;
    static final double HIGH_VIOLATION_RATE = 15;
    static final double CLOUD_SQL_MIN = 1.1;
    static final double CLOUD_SQL_MAX = 2.5;
    static final double LOCAL_MIN = 0.8;
    static final double LOCAL_MAX = 2.0;

    static HeuristicMultiplier of(boolean cloudSql, ConnectionHistory history) {
        double m = 1.0;
        List<String> reasons = new ArrayList<>();
        double avg = history.averageDuration();
        double recent = history.recentAverage();
        if (recent > RECENT_SLOWER * avg) {
            m += 0.3;
            reasons.add("recent average " + s(recent) + " above 1.3 × average " + s(avg) + ": +0.3");
        } else if (recent < RECENT_FASTER * avg) {
            m -= 0.1;
            reasons.add("recent average " + s(recent) + " below 0.7 × average " + s(avg) + ": -0.1");
        }
        double sr = history.successRate();
        if (sr < LOW_SUCCESS_RATE) {
            m += 0.4;
            reasons.add("success rate " + Decimals.oneDecimal(sr) + "% below 90%: +0.4");
        } else if (sr > HIGH_SUCCESS_RATE) {
            m -= 0.05;
            reasons.add("success rate " + Decimals.oneDecimal(sr) + "% above 98%: -0.05");
        }
        if (history.violationRate() > HIGH_VIOLATION_RATE) {
            m += 0.5;
            reasons.add("timeout violation rate " + Decimals.oneDecimal(history.violationRate()) + "% above 15%: +0.5");
        }
        double min = cloudSql ? CLOUD_SQL_MIN : LOCAL_MIN;
        double max = cloudSql ? CLOUD_SQL_MAX : LOCAL_MAX;
        double clamped = Math.min(max, Math.max(min, m));
        if (clamped != m) {
            reasons.add("clamped to [" + Decimals.factor(min) + ", " + Decimals.factor(max) + "]");
        }
        return new HeuristicMultiplier(clamped, List.copyOf(reasons));
    }

    private static String s(double seconds) {
        return Decimals.oneDecimal(seconds) + "s";
    }
}
