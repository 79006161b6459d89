package io.timeoutpolicy.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import org.junit.jupiter.api.Test;

/** Only the gauges a second connection would register again are left out; the pool's counters stay. */
class SqlClientMetersTests {

    private static Meter.Id id(String name, Meter.Type type, String clientType) {
        return new Meter.Id(name, Tags.of("clientName", "<default>", "clientType", clientType), null, null, type);
    }

    @Test
    void per_connection_gauges_of_sql_clients_are_left_out() {
        assertThat(SqlClientMeters.isPerConnectionGauge(id("postgresql.current", Meter.Type.GAUGE, "sql"))).isTrue();
        assertThat(SqlClientMeters.isPerConnectionGauge(id("postgresql.queue.size", Meter.Type.GAUGE, "sql"))).isTrue();
    }

    @Test
    void counters_timers_and_other_clients_gauges_stay() {
        assertThat(SqlClientMeters.isPerConnectionGauge(id("postgresql.completed", Meter.Type.COUNTER, "sql"))).isFalse();
        assertThat(SqlClientMeters.isPerConnectionGauge(id("postgresql.processing", Meter.Type.TIMER, "sql"))).isFalse();
        assertThat(SqlClientMeters.isPerConnectionGauge(id("http.client.current", Meter.Type.GAUGE, "http"))).isFalse();
    }
}
