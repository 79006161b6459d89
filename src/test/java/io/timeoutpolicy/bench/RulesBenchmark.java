package io.timeoutpolicy.bench;

import io.timeoutpolicy.analysis.FailureAnalyzer;
import io.timeoutpolicy.bypass.BypassRules;
import io.timeoutpolicy.history.ConnectionHistory;
import io.timeoutpolicy.history.WindowStats;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.policy.PolicyDefaults;
import io.timeoutpolicy.timeouts.TimeoutCalculator;
import io.timeoutpolicy.timeouts.TimeoutResult;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hot pure rules without HTTP noise, so that a regression in them shows: run by src/bench/run.sh
 * (or {@code java -cp … org.openjdk.jmh.Main RulesBenchmark}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RulesBenchmark {

    private final EnvironmentPolicy staging = PolicyDefaults.builtIn(Instant.EPOCH).get(2);
    private final ConnectionHistory degrading = new ConnectionHistory(1_000_000, 5.0, 9.0, 85.0, 20.0);
    private final WindowStats window = new WindowStats(1_000_000, 900_000, 50_000, 5_000_000.0, 0.1, 80.0, 4.0,
            Instant.EPOCH, Instant.EPOCH.plusSeconds(3600), new double[] {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
                15, 16, 17, 18, 19, 20, 21, 22}, q -> 5.0);
    private final BypassRules.Input input = new BypassRules.Input(2, false, List.of("database_timeout"));

    @Benchmark
    public TimeoutResult timeoutsHeuristic() {
        return TimeoutCalculator.compute(staging, degrading, List.of("vpc_connector_scaling"));
    }

    @Benchmark
    public Object failureAnalysis() {
        return FailureAnalyzer.analyze("staging", true, window);
    }

    @Benchmark
    public BypassRules.Verdict bypassRules() {
        return BypassRules.decide(input, staging, FailureAnalyzer.analyze("staging", true, window));
    }
}
