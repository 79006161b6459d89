package io.timeoutpolicy.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A request for a bypass decision (SPEC 4.5): failures found by start-up validation, and who asks. */
public record BypassRequest(String environment, int criticalFailures, List<String> failureTypes,
        boolean manualOverride, String service, String deployment, String requestedBy) {

    public BypassRequest {
        if (criticalFailures < 0) {
            throw new IllegalArgumentException("critical failures must be ≥ 0");
        }
        failureTypes = failureTypes == null ? List.of()
                : failureTypes.stream().map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    public static BypassRequest of(String environment, int criticalFailures, String... failureTypes) {
        return new BypassRequest(environment, criticalFailures, List.of(failureTypes), false, null, null, null);
    }

    Map<String, Object> body(String name, String defaultService) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("environment", name);
        body.put("critical_failures", criticalFailures);
        body.put("manual_override", manualOverride);
        body.put("failure_types", failureTypes);
        String who = service != null ? service : defaultService;
        if (who != null && !who.isEmpty()) {
            body.put("service", who);
        }
        if (deployment != null && !deployment.isEmpty()) {
            body.put("deployment", deployment);
        }
        if (requestedBy != null && !requestedBy.isEmpty()) {
            body.put("requested_by", requestedBy);
        }
        return body;
    }
}
