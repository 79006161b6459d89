package io.timeoutpolicy.bypass;

import static io.timeoutpolicy.bypass.BypassRulesFixtures.CLOUD_SQL_CAPACITY;
import static io.timeoutpolicy.bypass.BypassRulesFixtures.CONDITIONAL;
import static io.timeoutpolicy.bypass.BypassRulesFixtures.CONSERVATIVE;
import static io.timeoutpolicy.bypass.BypassRulesFixtures.DATABASE_TIMEOUT;
import static io.timeoutpolicy.bypass.BypassRulesFixtures.PERMISSIVE;
import static io.timeoutpolicy.bypass.BypassRulesFixtures.STRICT;
import static io.timeoutpolicy.bypass.BypassRulesFixtures.UNAVAILABLE;
import static io.timeoutpolicy.bypass.BypassRulesFixtures.VPC_CONNECTOR;
import static io.timeoutpolicy.bypass.BypassRulesFixtures.assertVerdict;
import static io.timeoutpolicy.bypass.BypassRulesFixtures.failures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import io.timeoutpolicy.analysis.FailureAnalysis;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.policy.PolicyDefaults;
import io.timeoutpolicy.policy.TestPolicies;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SPEC 4.5 step 5: infrastructure failures can still pass after the analysis said no. */
class BypassRulesInfrastructureTests {

    /** Every analysis limit at 1, infrastructure at 3: two failures exceed step 4 yet fit step 5. */
    private static final EnvironmentPolicy TIGHT_ANALYSIS = TestPolicies.with(TestPolicies.builtIn("staging"),
            new EnvironmentPolicy.Bypass(1, 1, 1, 3, PolicyDefaults.INFRASTRUCTURE_FAILURE_TYPES));

    static Stream<Arguments> everyRefusalOfStepFour() {
        return Stream.of(
                Arguments.of(named("strict", STRICT), BypassRules.STRICT, false),
                Arguments.of(named("permissive", PERMISSIVE), BypassRules.PERMISSIVE_LIMIT_EXCEEDED, false),
                Arguments.of(named("conditional", CONDITIONAL), BypassRules.CONDITIONAL_LIMIT_EXCEEDED, false),
                Arguments.of(named("conservative", CONSERVATIVE), BypassRules.BASIC_LIMIT_EXCEEDED, false),
                Arguments.of(named("unavailable", UNAVAILABLE), BypassRules.BASIC_LIMIT_EXCEEDED, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyRefusalOfStepFour")
    void infrastructure_failures_within_their_limit_overturn_every_refusal_of_the_analysis(FailureAnalysis analysis,
            String refusal, boolean degraded) {
        assertVerdict(BypassRules.decide(failures(2), TIGHT_ANALYSIS, analysis), false, refusal, degraded);

        assertVerdict(BypassRules.decide(failures(2, DATABASE_TIMEOUT, CLOUD_SQL_CAPACITY), TIGHT_ANALYSIS, analysis),
                true, BypassRules.INFRASTRUCTURE_FAILURES, degraded);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyRefusalOfStepFour")
    void infrastructure_failures_past_their_limit_keep_the_refusal_of_the_analysis(FailureAnalysis analysis,
            String refusal, boolean degraded) {
        assertVerdict(BypassRules.decide(failures(4, DATABASE_TIMEOUT, VPC_CONNECTOR), TIGHT_ANALYSIS, analysis),
                false, refusal, degraded);
    }

    @Test
    void an_empty_failure_types_list_never_reaches_the_infrastructure_rule() {
        EnvironmentPolicy staging = TestPolicies.builtIn("staging");

        assertVerdict(BypassRules.decide(failures(1), staging, STRICT), false, BypassRules.STRICT, false);
        assertVerdict(BypassRules.decide(failures(3), staging, CONSERVATIVE), false,
                BypassRules.BASIC_LIMIT_EXCEEDED, false);
        assertVerdict(BypassRules.decide(failures(3), staging, UNAVAILABLE), false,
                BypassRules.BASIC_LIMIT_EXCEEDED, true);
    }

    @Test
    void a_bypass_granted_by_the_analysis_keeps_the_analysis_rule() {
        EnvironmentPolicy staging = TestPolicies.builtIn("staging");

        assertVerdict(BypassRules.decide(failures(2, DATABASE_TIMEOUT), staging, PERMISSIVE), true,
                BypassRules.PERMISSIVE, false);
        assertVerdict(BypassRules.decide(failures(2, VPC_CONNECTOR), staging, CONSERVATIVE), true,
                BypassRules.BASIC, false);
    }

    @Test
    void staging_lets_three_infrastructure_failures_through_after_basic_logic_refused_them() {
        EnvironmentPolicy staging = TestPolicies.builtIn("staging");

        assertVerdict(BypassRules.decide(failures(3, CLOUD_SQL_CAPACITY), staging, CONSERVATIVE), true,
                BypassRules.INFRASTRUCTURE_FAILURES, false);
    }

    @Test
    void custom_infrastructure_types_of_a_modified_policy_count_as_infrastructure() {
        EnvironmentPolicy custom = TestPolicies.with(TestPolicies.builtIn("production"),
                new EnvironmentPolicy.Bypass(5, 1, 1, 2, List.of("dns_outage", "load_balancer")));

        assertVerdict(BypassRules.decide(failures(2, "dns_outage", "load_balancer"), custom, STRICT), true,
                BypassRules.INFRASTRUCTURE_FAILURES, false);
        assertVerdict(BypassRules.decide(failures(2, "dns_outage", DATABASE_TIMEOUT), custom, STRICT), false,
                BypassRules.GENUINE_FAILURE, false);
    }

    @Test
    void the_infrastructure_reason_names_the_types_and_the_limit() {
        BypassRules.Verdict verdict = BypassRules.decide(failures(2, VPC_CONNECTOR), TIGHT_ANALYSIS, STRICT);

        assertThat(verdict.reason()).contains(VPC_CONNECTOR).contains("3");
    }

    static Stream<Named<List<String>>> infrastructureTypeLists() {
        return Stream.of(named("one type", List.of(DATABASE_TIMEOUT)),
                named("all three types", List.of(DATABASE_TIMEOUT, VPC_CONNECTOR, CLOUD_SQL_CAPACITY)),
                named("a repeated type", List.of(VPC_CONNECTOR, VPC_CONNECTOR, VPC_CONNECTOR)),
                named("more types than failures", List.of(DATABASE_TIMEOUT, VPC_CONNECTOR, CLOUD_SQL_CAPACITY,
                        DATABASE_TIMEOUT)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("infrastructureTypeLists")
    void the_length_of_failure_types_need_not_match_critical_failures(List<String> types) {
        BypassRules.Input input = new BypassRules.Input(2, false, types);

        assertVerdict(BypassRules.decide(input, TIGHT_ANALYSIS, STRICT), true, BypassRules.INFRASTRUCTURE_FAILURES,
                false);
    }
}
