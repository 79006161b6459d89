package io.timeoutpolicy.resilience;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.timeoutpolicy.history.AttemptRepository;
import io.timeoutpolicy.platform.database.DatabaseProbe;
import java.util.List;
import java.util.Map;

/** The service behind the fault proxy, with fault-tolerance times shortened so fault tests stay fast. */
public class FaultProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("quarkus.fault-tolerance.global.timeout.value", "400"),
                Map.entry(timeoutOf(DatabaseProbe.class, "ping"), "300"),
                Map.entry(timeoutOf(AttemptRepository.class, "insert"), "600"),
                Map.entry("quarkus.fault-tolerance.global.retry.max-duration", "1000"),
                Map.entry("quarkus.fault-tolerance.global.circuit-breaker.delay", "500"),
                Map.entry("quarkus.fault-tolerance.global.circuit-breaker.request-volume-threshold", "4"),
                Map.entry("timeout-policy.history.refresh-interval", "300ms"),
                Map.entry("timeout-policy.recording.write-behind.flush-interval", "200ms"),
                Map.entry("timeout-policy.bypass.write-behind.flush-interval", "200ms"),
                Map.entry("timeout-policy.alerts.write-behind.flush-interval", "200ms"),
                Map.entry("timeout-policy.database.bootstrap-retry-interval", "1s"),
                Map.entry("timeout-policy.policies.refresh-interval", "1s"));
    }

    /** Built from the class, so that a move or rename cannot silently detach the setting. */
    static String timeoutOf(Class<?> type, String method) {
        return "quarkus.fault-tolerance.\"" + type.getName() + "/" + method + "\".timeout.value";
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FaultProxyResource.class));
    }
}
