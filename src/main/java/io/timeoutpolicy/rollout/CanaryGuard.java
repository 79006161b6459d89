package io.timeoutpolicy.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.alerts.AlertService;
import io.timeoutpolicy.alerts.AlertSignal;
import io.timeoutpolicy.policy.CandidateService;
import io.timeoutpolicy.policy.Operation;
import io.timeoutpolicy.policy.StoredVersion;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rolls a canary back when its cohort suffers (SPEC 10.2). Any replica may see the breach first; the rollback is a
 * conditional update in PostgreSQL, so exactly one of them changes the candidate, and only that one raises the
 * {@code policy_rollback} alert. The others learn of it through the announcement or their next refresh.
 */
@ApplicationScoped
public class CanaryGuard {

    static final String POLICY_ROLLBACK = "policy_rollback";

    private final CandidateService candidates;
    private final AlertService alerts;
    private final ObjectMapper mapper;

    CanaryGuard(CandidateService candidates, AlertService alerts, ObjectMapper mapper) {
        this.candidates = candidates;
        this.alerts = alerts;
        this.mapper = mapper;
    }

    Uni<Void> check(StoredVersion candidate, Score score) {
        var breach = Guard.breach(candidate.rollout().guard(), score.cohorts().canary(), score.cohorts().control());
        if (breach.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Guard.Breach b = breach.get();
        String environment = candidate.environment();
        return candidates.rollBack(environment, candidate.version(), reason(b, score)).chain(won -> {
            if (!won) {
                return Uni.createFrom().voidItem();
            }
            String message = "Candidate version " + candidate.version() + " of " + environment + " rolled back: "
                    + b.reason();
            Log.warnf("%s", message);
            return alerts.raise(new AlertSignal(environment, Operation.CONNECTION.wireName(), "critical",
                    POLICY_ROLLBACK, message, b.canary(), b.threshold())).replaceWithVoid();
        });
    }

    private String reason(Guard.Breach breach, Score score) {
        Map<String, Object> reason = new LinkedHashMap<>();
        reason.put("reason", breach.reason());
        reason.put("rate", breach.rate());
        reason.put("canary", score.cohorts().canary());
        reason.put("control", score.cohorts().control());
        try {
            return mapper.writeValueAsString(reason);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
