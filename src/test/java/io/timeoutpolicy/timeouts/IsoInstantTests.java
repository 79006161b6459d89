package io.timeoutpolicy.timeouts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** computed_at written by hand is Instant.toString (what Jackson writes), at every precision and date. */
class IsoInstantTests {

    @Test
    void every_instant_is_written_as_toString_writes_it() {
        List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.parse("2026-11-22T10:15:30Z"),
                Instant.parse("2026-11-22T10:15:30.120Z"), Instant.parse("2026-11-22T10:15:30.123456Z"),
                Instant.parse("2026-11-22T10:15:30.123456789Z"), Instant.parse("2024-02-29T23:59:59.999999999Z"),
                Instant.parse("2100-03-01T00:00:00.001Z"), Instant.parse("9999-12-31T23:59:59.000000001Z")));
        SplittableRandom random = new SplittableRandom(31);
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong(253_402_300_800L);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            instants.add(Instant.ofEpochSecond(seconds, nano));
        }
        for (Instant instant : instants) {
            byte[] written = new byte[IsoInstant.length(instant)];
            assertThat(IsoInstant.write(instant, written, 0)).isEqualTo(written.length);
            assertThat(new String(written, StandardCharsets.ISO_8859_1)).isEqualTo(instant.toString());
        }
    }

    @Test
    void instants_outside_1970_to_9999_are_left_to_toString() {
        assertThat(IsoInstant.length(Instant.parse("1969-12-31T23:59:59Z"))).isEqualTo(-1);
        assertThat(IsoInstant.length(Instant.parse("+10000-01-01T00:00:00Z"))).isEqualTo(-1);
    }
}
