package io.timeoutpolicy;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The spans of the test application, kept in memory. Quarkus takes a {@code SpanExporter} bean in place of
 * its OTLP exporter, so no test ever connects to a collector; while the SDK is off (every profile but
 * {@code TracesTests}'s) nothing is exported to it at all.
 */
public class TestSpans {

    @Produces
    @Singleton
    InMemorySpanExporter spans() {
        return InMemorySpanExporter.create();
    }
}
