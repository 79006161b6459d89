package io.timeoutpolicy.bypass;

import static org.assertj.core.api.Assertions.assertThat;

import io.timeoutpolicy.analysis.FailureAnalysis;
import io.timeoutpolicy.bypass.BypassRules.Input;
import io.timeoutpolicy.bypass.BypassRules.Verdict;
import java.util.List;

/** Inputs, analyses and the one verdict assertion shared by the pure {@link BypassRules} tests. */
final class BypassRulesFixtures {

    static final String DATABASE_TIMEOUT = "database_timeout";
    static final String VPC_CONNECTOR = "vpc_connector";
    static final String CLOUD_SQL_CAPACITY = "cloud_sql_capacity";
    static final String APPLICATION_ERROR = "application_error";

    static final FailureAnalysis STRICT = analysis(FailureAnalysis.STRICT, "Connection history is healthy");
    static final FailureAnalysis PERMISSIVE = analysis(FailureAnalysis.PERMISSIVE,
            "Timeout violation rate 30.0% is above 25%: timeout failures");
    static final FailureAnalysis CONDITIONAL = analysis(FailureAnalysis.CONDITIONAL,
            "Success rate 85.0% is below 90%: intermittent connection failures");
    static final FailureAnalysis CONSERVATIVE = analysis(FailureAnalysis.CONSERVATIVE,
            "No historical data available");
    /** The analysis could not be computed (database unavailable). */
    static final FailureAnalysis UNAVAILABLE = null;

    private BypassRulesFixtures() {
    }

    /**
     * An analysis whose only fields the rules read are the recommendation and the reason; the rest is
     * plausible filler.
     */
    static FailureAnalysis analysis(String recommendation, String reason) {
        boolean hasData = !FailureAnalysis.CONSERVATIVE.equals(recommendation);
        return new FailureAnalysis("staging", hasData, hasData ? 40 : 0, hasData ? 85.0 : 0.0,
                hasData ? 5.0 : 0.0, hasData ? "stable" : "unknown", hasData ? "intermittent_failure" : "unknown",
                hasData ? "medium" : "unknown", recommendation, hasData ? "high" : "low", reason);
    }

    static Input failures(int criticalFailures, String... lowerCaseTypes) {
        return new Input(criticalFailures, false, List.of(lowerCaseTypes));
    }

    static Input overridden(int criticalFailures, String... lowerCaseTypes) {
        return new Input(criticalFailures, true, List.of(lowerCaseTypes));
    }

    /** Asserts the whole verdict; every verdict must explain itself with a non-blank reason. */
    static void assertVerdict(Verdict actual, boolean bypass, String rule, boolean degraded) {
        assertThat(actual).as("verdict").isNotNull();
        assertThat(actual.rule()).as("rule").isEqualTo(rule);
        assertThat(actual.bypass()).as("bypass of rule %s", rule).isEqualTo(bypass);
        assertThat(actual.degraded()).as("degraded of rule %s", rule).isEqualTo(degraded);
        assertThat(actual.reason()).as("reason of rule %s", rule).isNotBlank();
    }
}
