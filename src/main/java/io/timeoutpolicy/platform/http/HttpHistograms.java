package io.timeoutpolicy.platform.http;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Histogram buckets on {@code http_server_requests_seconds} for the API's paths only: a p99 in Prometheus for
 * the endpoints with an SLO, without a bucket series for every health probe and Swagger file.
 */
@Singleton
public class HttpHistograms {

    @Produces
    @Singleton
    MeterFilter apiLatencyBuckets(
            @ConfigProperty(name = "timeout-policy.http.latency-buckets") List<Duration> buckets) {
        double[] nanos = buckets.stream().mapToDouble(Duration::toNanos).sorted().toArray();
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                String uri = id.getTag("uri");
                if (!"http.server.requests".equals(id.getName()) || uri == null || !uri.startsWith("/api/")) {
                    return config;
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos).build().merge(config);
            }
        };
    }
}
