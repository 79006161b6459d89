package io.timeoutpolicy.timeouts;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code timeout_policy_timeouts_served_total{environment, branch}}: every timeouts or start-up-config answer,
 * by the branch of its {@code connection_timeout}.
 *
 * <p>It is counted on the hottest path of the service, so a count is a plain {@link LongAdder} that Prometheus
 * reads when it scrapes. A registered counter cost 0.75 µs per answer (2 % of a GET's CPU in the profile,
 * BENCHMARKS.md, issue 31): the composite registry's dispatch, a {@code DoubleAdder} and an exemplar sampler.
 * One adder per environment and branch, created once: a second one would count answers nobody reads.
 *
 * <p>A singleton: it is called on every GET, and an application-scoped bean's client proxy looks its instance up
 * on every call.
 */
@Singleton
public class ServedCounts {

    private final MeterRegistry registry;
    private final Map<String, LongAdder[]> counts = new ConcurrentHashMap<>();

    ServedCounts(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The count of answers served to {@code environment} from {@code branch}. */
    LongAdder of(String environment, Branch branch) {
        LongAdder[] byBranch = counts.get(environment);
        if (byBranch == null) {
            byBranch = counts.computeIfAbsent(environment, this::register);
        }
        return byBranch[branch.ordinal()];
    }

    private LongAdder[] register(String environment) {
        LongAdder[] byBranch = new LongAdder[Branch.values().length];
        for (Branch branch : Branch.values()) {
            LongAdder count = new LongAdder();
            // The registry holds its object weakly; this map holds it for the life of the service.
            FunctionCounter.builder("timeout_policy.timeouts.served", count, LongAdder::doubleValue)
                    .tags("environment", environment, "branch", branch.wireName()).register(registry);
            byBranch[branch.ordinal()] = count;
        }
        return byBranch;
    }
}
