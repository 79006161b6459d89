package io.timeoutpolicy.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timeoutpolicy.history.Backtest;
import io.timeoutpolicy.history.HistoryView;
import io.timeoutpolicy.history.SuccessfulDurations;
import io.timeoutpolicy.platform.http.ETags;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.policy.Operation;
import io.timeoutpolicy.policy.PolicyStore;
import io.timeoutpolicy.timeouts.TimeoutResult;
import io.timeoutpolicy.timeouts.TimeoutService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SPEC 10.1 from memory: the evidence of each operation from the history view, the rule per key, then the
 * backtest of the current policy and of the candidate, whose effective timeouts are computed as timeouts are
 * (the environment's strategy, no pressure).
 */
@ApplicationScoped
public class RecommendationService {

    /** Fields a PUT does not take (SPEC 3.1). */
    static final List<String> READ_ONLY_FIELDS = List.of("environment", "version", "updated_at", "updated_by");

    private final PolicyStore policies;
    private final HistoryView history;
    private final TimeoutService timeouts;
    private final ObjectMapper mapper;

    RecommendationService(PolicyStore policies, HistoryView history, TimeoutService timeouts, ObjectMapper mapper) {
        this.policies = policies;
        this.history = history;
        this.timeouts = timeouts;
        this.mapper = mapper;
    }

    public Recommendations recommend(String rawEnvironment) {
        EnvironmentPolicy policy = policies.require(rawEnvironment);
        Duration window = policy.adaptive().historyWindow();
        history.requireComplete(window);
        EnvironmentPolicy.Percentile settings = policy.adaptive().percentile();
        Map<Operation, RecommendationRule.Proposal> proposals = new EnumMap<>(Operation.class);
        for (Operation operation : Operation.values()) {
            SuccessfulDurations successful = history.successfulDurations(policy.environment(), operation, window,
                    1 - settings.targetFalseTimeoutRate());
            proposals.put(operation, RecommendationRule.propose(policy.baseTimeouts().of(operation), settings,
                    new RecommendationRule.Evidence(successful.count(), successful.quantile(), successful.longest())));
        }
        EnvironmentPolicy candidate = policy.withBaseTimeouts(EnvironmentPolicy.BaseTimeouts.from(operation -> {
            RecommendationRule.Proposal p = proposals.get(operation);
            return p.action().changes() ? p.recommendedBase() : p.currentBase();
        }));
        TimeoutResult now = timeouts.withoutPressure(policy);
        TimeoutResult then = timeouts.withoutPressure(candidate);
        Map<String, Recommendations.KeyRecommendation> keys = new LinkedHashMap<>();
        List<String> text = new ArrayList<>();
        double worstNow = 0;
        double worstThen = 0;
        for (Operation operation : Operation.values()) {
            double current = now.timeouts().get(operation);
            double proposed = then.timeouts().get(operation);
            worstNow += current;
            worstThen += proposed;
            Backtest backtest = history.backtest(policy.environment(), operation, window, current, proposed);
            Recommendations.Backtests figures = new Recommendations.Backtests(figures(backtest, 0, current),
                    figures(backtest, 1, proposed));
            RecommendationRule.Proposal p = proposals.get(operation);
            keys.put(operation.timeoutKey(), new Recommendations.KeyRecommendation(p.currentBase(),
                    p.recommendedBase(), p.action(), p.samples(), p.requiredSamples(), p.quantile(), p.stepLimited(),
                    figures));
            if (p.action().changes()) {
                text.add(RecommendationText.of(operation, p, settings, figures));
            }
        }
        return new Recommendations(policy.environment(), policy.version(), window.toString(), keys,
                new Recommendations.Pair(worstNow, worstThen), writable(candidate), ETags.of(policy.version()), text);
    }

    private static Recommendations.BacktestFigures figures(Backtest backtest, int k, double effective) {
        return new Recommendations.BacktestFigures(effective, backtest.wouldTimeOut(k), backtest.falseTimeoutRate(k),
                backtest.totalWaitSeconds(k));
    }

    /** The document as a PUT takes it: every group, none of the read-only fields. */
    private ObjectNode writable(EnvironmentPolicy policy) {
        ObjectNode node = mapper.valueToTree(policy);
        node.remove(READ_ONLY_FIELDS);
        return node;
    }
}
