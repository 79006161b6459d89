package io.timeoutpolicy.platform.database;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Leaves out the two gauges Quarkus registers for every connection of a SQL client ({@code postgresql_current},
 * {@code postgresql_queue_size}). Vert.x asks for client metrics once per connection, not once per pool, so the
 * second connection registers the same gauge again: Micrometer keeps the first connection's (which the pool may
 * since have closed, so the value says nothing about the pool) and logs a WARN at start-up. The counters and
 * timers of the same family ({@code postgresql_completed_total}, {@code postgresql_processing_seconds},
 * {@code postgresql_queue_delay_seconds}, {@code postgresql_reset_total}) add up across connections and stay.
 */
@Singleton
public class SqlClientMeters {

    @Produces
    @Singleton
    MeterFilter withoutPerConnectionGauges() {
        return new MeterFilter() {
            @Override
            public MeterFilterReply accept(Meter.Id id) {
                return isPerConnectionGauge(id) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
            }
        };
    }

    static boolean isPerConnectionGauge(Meter.Id id) {
        return "sql".equals(id.getTag("clientType")) && id.getType() == Meter.Type.GAUGE
                && (id.getName().endsWith(".current") || id.getName().endsWith(".queue.size"));
    }
}
