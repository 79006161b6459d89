package io.timeoutpolicy.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a reconnecting alert-stream client missed, from its Last-Event-ID and the stored alerts. */
class AlertResumptionTests {

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private final Alert a = alert(1, 0, 60, 3);
    private final Alert b = alert(2, 70, 70, 1);
    private final Alert c = alert(3, 30, 50, 2);
    /** Newest first by last_seen, as the repository lists them. */
    private final List<Alert> stored = List.of(b, a, c);

    @Test
    void a_client_that_saw_an_alert_as_it_is_now_gets_what_was_last_seen_since_oldest_first() {
        assertThat(AlertResumption.missed(stored, AlertResumption.eventId(a))).containsExactly(b);
        assertThat(AlertResumption.missed(stored, AlertResumption.eventId(c))).containsExactly(a, b);
        assertThat(AlertResumption.missed(stored, AlertResumption.eventId(b))).isEmpty();
    }

    @Test
    void a_client_that_missed_repeats_of_its_last_alert_gets_it_again_and_what_was_seen_since_it_began() {
        assertThat(AlertResumption.missed(stored, a.id() + "/2")).containsExactly(c, a, b);
        assertThat(AlertResumption.missed(stored, c.id() + "/1")).containsExactly(c, a, b);
    }

    @Test
    void an_id_the_stored_alerts_do_not_hold_resumes_nothing() {
        assertThat(AlertResumption.missed(stored, UUID.randomUUID() + "/1")).isEmpty();
        assertThat(AlertResumption.missed(stored, "not-an-id")).isEmpty();
        assertThat(AlertResumption.missed(stored, a.id() + "/x")).isEmpty();
        assertThat(AlertResumption.missed(stored, "")).isEmpty();
        assertThat(AlertResumption.missed(stored, null)).isEmpty();
    }

    @Test
    void the_id_of_an_event_is_the_alert_and_its_occurrences() {
        assertThat(AlertResumption.eventId(a)).isEqualTo(a.id() + "/3");
        assertThat(AlertResumption.missed(stored, " " + a.id() + "/3 ")).containsExactly(b);
    }

    private static Alert alert(int n, int firstSecond, int lastSecond, int occurrences) {
        return new Alert(new UUID(0, n), "staging", "connection", "critical", "connection_time", "slow " + n,
                19.5, 19.0, T0.plusSeconds(firstSecond), T0.plusSeconds(lastSecond), occurrences);
    }
}
