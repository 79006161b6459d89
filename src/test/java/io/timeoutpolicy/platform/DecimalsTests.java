package io.timeoutpolicy.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SPEC 4.8: one decimal, rounded half up, independent of the machine's locale. */
class DecimalsTests {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"35.05, 35.1", "0.25, 0.3", "30, 30.0", "35.0, 35.0", "35.04, 35.0", "35.15, 35.2", "0.05, 0.1",
            "0.04, 0.0", "0, 0.0", "2.45, 2.5", "1234567.89, 1234567.9", "10000000, 10000000.0"})
    void one_decimal_rounds_half_up(double value, String expected) {
        assertThat(Decimals.oneDecimal(value)).isEqualTo(expected);
    }

    @Test
    void one_decimal_ignores_the_default_locale() {
        Locale previous = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertThat(Decimals.oneDecimal(35.05)).isEqualTo("35.1");
            assertThat(Decimals.oneDecimal(1234.5)).isEqualTo("1234.5");
            assertThat(Decimals.factor(1.05)).isEqualTo("1.05");
        } finally {
            Locale.setDefault(previous);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"1.2, 1.2", "1.5, 1.5", "1.05, 1.05", "1.0, 1", "2, 2", "0.2, 0.2"})
    void factor_is_as_short_as_it_is_exact(double value, String expected) {
        assertThat(Decimals.factor(value)).isEqualTo(expected);
    }
}
