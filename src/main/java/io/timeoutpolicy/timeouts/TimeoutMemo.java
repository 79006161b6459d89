package io.timeoutpolicy.timeouts;

import io.timeoutpolicy.history.ConnectionHistory;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers computed timeouts by their exact inputs (policy version, history figures, percentile samples,
 * pressure), so that the thousands of identical requests of a fleet starting up cost a map lookup instead
 * of building five explanations each. Any change of input is a new key; old keys are dropped wholesale
 * when the memo grows past its bound.
 */
final class TimeoutMemo {

    static final int MAX_ENTRIES = 4096;

    private record Key(String environment, int version, ConnectionHistory history, SuccessfulSamples samples,
            List<String> pressure) {
    }

    private final Map<Key, Memoized> results = new ConcurrentHashMap<>();

    Memoized computeIfAbsent(EnvironmentPolicy policy, ConnectionHistory history, SuccessfulSamples samples,
            List<String> pressure) {
        Key key = new Key(policy.environment(), policy.version(), history, samples, pressure);
        Memoized known = results.get(key);
        if (known != null) {
            return known;
        }
        if (results.size() >= MAX_ENTRIES) {
            results.clear();
        }
        Memoized computed = new Memoized(TimeoutCalculator.compute(policy, history, samples, pressure));
        results.put(key, computed);
        return computed;
    }
}
