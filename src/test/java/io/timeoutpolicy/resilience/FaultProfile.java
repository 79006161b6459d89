package io.timeoutpolicy.resilience;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The service behind the fault proxy, with fault-tolerance times shortened so fault tests stay fast. */
public class FaultProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("quarkus.fault-tolerance.global.timeout.value", "400"),
                Map.entry("quarkus.fault-tolerance.\"io.timeoutpolicy.platform.DatabaseProbe/ping\".timeout.value", "300"),
                Map.entry("quarkus.fault-tolerance.\"io.timeoutpolicy.history.AttemptRepository/insert\".timeout.value",
                        "600"),
                Map.entry("quarkus.fault-tolerance.global.retry.max-duration", "1000"),
                Map.entry("quarkus.fault-tolerance.global.circuit-breaker.delay", "500"),
                Map.entry("quarkus.fault-tolerance.global.circuit-breaker.request-volume-threshold", "4"),
                Map.entry("timeout-policy.history.refresh-interval", "300ms"),
                Map.entry("timeout-policy.history.buffer-flush-interval", "200ms"),
                Map.entry("timeout-policy.database.bootstrap-retry-interval", "1s"),
                Map.entry("timeout-policy.policies.refresh-interval", "1s"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FaultProxyResource.class));
    }
}
