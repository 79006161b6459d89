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
 * when the memo grows past its bound. The last key of each environment is compared first, field by field,
 * so that the common request allocates no key.
 */
final class TimeoutMemo {

    static final int MAX_ENTRIES = 4096;

    private record Key(String environment, int version, ConnectionHistory history, SuccessfulSamples samples,
            List<String> pressure) {

        boolean is(EnvironmentPolicy policy, ConnectionHistory history, SuccessfulSamples samples,
                List<String> pressure) {
            return version == policy.version() && environment.equals(policy.environment())
                    && this.history.equals(history) && this.samples.equals(samples) && this.pressure.equals(pressure);
        }
    }

    private record Entry(Key key, Memoized memoized) {
    }

    private final Map<Key, Memoized> results = new ConcurrentHashMap<>();
    private final Map<String, Entry> last = new ConcurrentHashMap<>();

    Memoized computeIfAbsent(EnvironmentPolicy policy, ConnectionHistory history, SuccessfulSamples samples,
            List<String> pressure) {
        Entry recent = last.get(policy.environment());
        if (recent != null && recent.key().is(policy, history, samples, pressure)) {
            return recent.memoized();
        }
        Key key = new Key(policy.environment(), policy.version(), history, samples, pressure);
        Memoized known = results.get(key);
        if (known == null) {
            if (results.size() >= MAX_ENTRIES) {
                results.clear();
            }
            known = new Memoized(TimeoutCalculator.compute(policy, history, samples, pressure));
            results.put(key, known);
        }
        if (last.size() < MAX_ENTRIES) {
            last.put(policy.environment(), new Entry(key, known));
        }
        return known;
    }
}
