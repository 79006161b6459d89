package io.timeoutpolicy.client.integration;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** SPEC 9.1 point 2 at its thresholds: units, rounding up, floors. */
class KnobsTest {

    @Test
    void milliseconds_are_exact_above_the_floor_and_raised_to_it_below() {
        assertThat(Knobs.millis("connectionTimeout", "pool_timeout", 30.0, 250).applied()).isEqualTo(30_000);
        assertThat(Knobs.millis("connectionTimeout", "pool_timeout", 30.0, 250).change()).isNull();
        assertThat(Knobs.millis("connectionTimeout", "pool_timeout", 0.25, 250).change()).isNull();
        Knob low = Knobs.millis("connectionTimeout", "pool_timeout", 0.2, 250);
        assertThat(low.applied()).isEqualTo(250);
        assertThat(low.change()).contains("floor");
        assertThat(Knobs.millis("x", "k", 1.0004, 250).applied()).as("never shortened").isEqualTo(1001);
    }

    @Test
    void whole_seconds_round_up() {
        assertThat(Knobs.wholeSeconds("connectTimeout", "connection_timeout", 2.0, 1).applied()).isEqualTo(2);
        assertThat(Knobs.wholeSeconds("connectTimeout", "connection_timeout", 2.0, 1).change()).isNull();
        Knob up = Knobs.wholeSeconds("connectTimeout", "connection_timeout", 2.2, 1);
        assertThat(up.applied()).isEqualTo(3);
        assertThat(up.change()).isEqualTo("rounded up to whole seconds");
        assertThat(up.describe()).isEqualTo(
                "connectTimeout = 3 s (served connection_timeout 2.2 s: rounded up to whole seconds)");
        assertThat(Knobs.wholeSeconds("connectTimeout", "connection_timeout", 0.3, 1).applied()).isEqualTo(1);
    }
}
