package io.timeoutpolicy.alerts.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timeoutpolicy.alerts.Alert;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which alerts a receiver wants: its min-level, its environments, and chat told once per alert. */
class ReceiverTests {

    static Alert alert(String environment, String level) {
        Instant seen = Instant.parse("2026-12-01T10:00:00Z");
        return new Alert(UUID.fromString("6f1c2b7a-55c4-4a3e-9f1e-0c1d2e3f4a5b"), environment, "connection", level,
                "connection_time", "connection took 19.5s, more than 95% of its 20.0s timeout", 19.5, 19.0, seen,
                seen.plusSeconds(90), 3);
    }

    static ReceiverSettings settings(Format format, String minLevel, Set<String> environments) {
        return new ReceiverSettings() {
            public URI url() {
                return URI.create("http://127.0.0.1:9093/api/v2/alerts");
            }

            public Format format() {
                return format;
            }

            public Optional<String> secret() {
                return Optional.of(" ");
            }

            public Optional<String> minLevel() {
                return Optional.ofNullable(minLevel);
            }

            public Optional<Set<String>> environments() {
                return Optional.ofNullable(environments);
            }
        };
    }

    @Test
    void without_filters_every_alert_and_every_repeat() {
        Receiver receiver = Receiver.of("oncall", settings(Format.ALERTMANAGER, null, null));
        assertThat(receiver.wants(alert("staging", "warning"), true)).isTrue();
        assertThat(receiver.wants(alert("staging", "critical"), false)).isTrue();
        assertThat(receiver.secret()).as("a blank secret signs nothing").isEmpty();
    }

    @Test
    void min_level_critical_leaves_out_warnings_and_warning_leaves_out_nothing() {
        Receiver critical = Receiver.of("pager", settings(Format.JSON, "CRITICAL", null));
        assertThat(critical.wants(alert("staging", "warning"), true)).isFalse();
        assertThat(critical.wants(alert("staging", "critical"), true)).isTrue();
        Receiver warning = Receiver.of("all", settings(Format.JSON, "warning", null));
        assertThat(warning.wants(alert("staging", "warning"), true)).isTrue();
    }

    @Test
    void environments_are_matched_whatever_their_case_and_an_empty_list_is_every_environment() {
        Receiver production = Receiver.of("prod", settings(Format.JSON, null, Set.of("Production")));
        assertThat(production.wants(alert("production", "warning"), true)).isTrue();
        assertThat(production.wants(alert("staging", "critical"), true)).isFalse();
        Receiver empty = Receiver.of("empty", settings(Format.JSON, null, Set.of()));
        assertThat(empty.wants(alert("staging", "warning"), true)).isTrue();
    }

    @Test
    void slack_is_told_of_a_new_alert_once_not_of_its_repeats() {
        Receiver chat = Receiver.of("chat", settings(Format.SLACK, null, null));
        assertThat(chat.wants(alert("staging", "critical"), true)).isTrue();
        assertThat(chat.wants(alert("staging", "critical"), false)).isFalse();
    }

    @Test
    void an_unknown_min_level_is_refused_at_start_up_with_the_property_named() {
        assertThatThrownBy(() -> Receiver.of("pager", settings(Format.JSON, "severe", null)))
                .hasMessageContaining("timeout-policy.alerts.receivers.pager.min-level");
    }
}
