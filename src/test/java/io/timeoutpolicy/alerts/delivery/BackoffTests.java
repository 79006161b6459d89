package io.timeoutpolicy.alerts.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTests {

    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

    @Test
    void doubles_after_each_failure_within_the_upper_half_of_its_step() {
        assertThat(BACKOFF.after(1, () -> 0.0)).isEqualTo(Duration.ofMillis(250));
        assertThat(BACKOFF.after(1, () -> 1.0)).isEqualTo(Duration.ofMillis(500));
        assertThat(BACKOFF.after(2, () -> 1.0)).isEqualTo(Duration.ofMillis(1000));
        assertThat(BACKOFF.after(3, () -> 0.5)).isEqualTo(Duration.ofMillis(1500));
        assertThat(BACKOFF.after(6, () -> 1.0)).isEqualTo(Duration.ofMillis(16_000));
    }

    @Test
    void is_capped_at_its_maximum_however_many_failures() {
        assertThat(BACKOFF.after(7, () -> 1.0)).isEqualTo(Duration.ofSeconds(30)); // 32 s capped
        assertThat(BACKOFF.after(7, () -> 0.0)).isEqualTo(Duration.ofSeconds(15));
        assertThat(BACKOFF.after(40, () -> 1.0)).isEqualTo(Duration.ofSeconds(30));
        assertThat(BACKOFF.after(Integer.MAX_VALUE, () -> 1.0)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void follows_a_failure() {
        assertThatThrownBy(() -> BACKOFF.after(0, () -> 0.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
