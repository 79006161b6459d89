package io.timeoutpolicy.platform;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Numbers in messages for people: one decimal, half up, independent of the machine's locale (SPEC 4.8). */
public final class Decimals {

    private Decimals() {
    }

    public static String oneDecimal(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        // valueOf goes through the shortest decimal form, so 35.05 rounds to 35.1 as a person expects.
        return BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP).toPlainString();
    }

    /** A factor for a sentence: as short as it is exact, e.g. 1.2, 1.5, 1.05. */
    public static String factor(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
