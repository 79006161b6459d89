package io.timeoutpolicy.bypass;

import static io.timeoutpolicy.bypass.BypassRulesFixtures.APPLICATION_ERROR;
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
import static io.timeoutpolicy.bypass.BypassRulesFixtures.overridden;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import io.timeoutpolicy.analysis.FailureAnalysis;
import io.timeoutpolicy.bypass.BypassRules.Input;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.policy.TestPolicies;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SPEC 4.5 steps 1 to 4: the order of the rules and what each analysis recommendation decides. */
class BypassRulesOrderTests {

    private static final EnvironmentPolicy STAGING = TestPolicies.builtIn("staging");

    static Stream<Named<FailureAnalysis>> everyAnalysis() {
        return Stream.of(named("strict", STRICT), named("permissive", PERMISSIVE), named("conditional", CONDITIONAL),
                named("conservative", CONSERVATIVE), named("unavailable", UNAVAILABLE));
    }

    // Step 1: no_failures

    @ParameterizedTest
    @MethodSource("everyAnalysis")
    void zero_critical_failures_is_never_a_bypass_whatever_the_analysis(FailureAnalysis analysis) {
        assertVerdict(BypassRules.decide(failures(0), STAGING, analysis), false, BypassRules.NO_FAILURES, false);
    }

    @Test
    void zero_critical_failures_wins_over_manual_override_and_genuine_failure_types() {
        Input input = overridden(0, APPLICATION_ERROR, DATABASE_TIMEOUT);

        assertVerdict(BypassRules.decide(input, STAGING, PERMISSIVE), false, BypassRules.NO_FAILURES, false);
    }

    // Step 2: manual_override

    @ParameterizedTest
    @MethodSource("everyAnalysis")
    void manual_override_bypasses_one_failure_whatever_the_analysis(FailureAnalysis analysis) {
        assertVerdict(BypassRules.decide(overridden(1), STAGING, analysis), true, BypassRules.MANUAL_OVERRIDE,
                false);
    }

    @Test
    void manual_override_wins_over_genuine_failure_types() {
        Input input = overridden(2, APPLICATION_ERROR, DATABASE_TIMEOUT);

        assertVerdict(BypassRules.decide(input, STAGING, STRICT), true, BypassRules.MANUAL_OVERRIDE, false);
    }

    @Test
    void manual_override_ignores_every_threshold() {
        EnvironmentPolicy production = TestPolicies.builtIn("production");

        assertVerdict(BypassRules.decide(overridden(1000, DATABASE_TIMEOUT), production, UNAVAILABLE), true,
                BypassRules.MANUAL_OVERRIDE, false);
    }

    // Step 3: genuine_failure

    @ParameterizedTest
    @MethodSource("everyAnalysis")
    void a_type_that_is_not_infrastructure_blocks_the_bypass_whatever_the_analysis(FailureAnalysis analysis) {
        assertVerdict(BypassRules.decide(failures(1, APPLICATION_ERROR), STAGING, analysis), false,
                BypassRules.GENUINE_FAILURE, false);
    }

    @Test
    void one_genuine_type_among_infrastructure_types_blocks_the_bypass() {
        Input input = failures(1, DATABASE_TIMEOUT, VPC_CONNECTOR, "schema_migration", CLOUD_SQL_CAPACITY);

        assertVerdict(BypassRules.decide(input, STAGING, PERMISSIVE), false, BypassRules.GENUINE_FAILURE, false);
    }

    @Test
    void the_genuine_failure_reason_names_the_genuine_type() {
        Input input = failures(1, DATABASE_TIMEOUT, "schema_migration");

        assertThat(BypassRules.decide(input, STAGING, PERMISSIVE).reason()).contains("schema_migration");
    }

    @Test
    void infrastructure_types_come_from_the_environments_policy() {
        EnvironmentPolicy custom = withInfrastructureTypes(STAGING, List.of("dns_outage", DATABASE_TIMEOUT));

        assertVerdict(BypassRules.decide(failures(1, "dns_outage"), custom, PERMISSIVE), true,
                BypassRules.PERMISSIVE, false);
        assertVerdict(BypassRules.decide(failures(1, VPC_CONNECTOR), custom, PERMISSIVE), false,
                BypassRules.GENUINE_FAILURE, false);
    }

    @Test
    void an_environment_without_infrastructure_types_treats_every_type_as_genuine() {
        EnvironmentPolicy none = withInfrastructureTypes(STAGING, List.of());

        assertVerdict(BypassRules.decide(failures(1, DATABASE_TIMEOUT), none, PERMISSIVE), false,
                BypassRules.GENUINE_FAILURE, false);
    }

    @Test
    void failures_without_types_are_not_genuine_and_go_to_the_analysis() {
        assertVerdict(BypassRules.decide(failures(1), STAGING, PERMISSIVE), true, BypassRules.PERMISSIVE, false);
    }

    // Step 4: the analysis' recommendation (one failure, within every staging limit)

    @Test
    void strict_analysis_refuses_even_a_single_failure() {
        assertVerdict(BypassRules.decide(failures(1), STAGING, STRICT), false, BypassRules.STRICT, false);
    }

    @Test
    void permissive_analysis_bypasses_within_its_limit() {
        assertVerdict(BypassRules.decide(failures(1, DATABASE_TIMEOUT), STAGING, PERMISSIVE), true,
                BypassRules.PERMISSIVE, false);
    }

    @Test
    void conditional_analysis_bypasses_within_its_limit() {
        assertVerdict(BypassRules.decide(failures(1, DATABASE_TIMEOUT), STAGING, CONDITIONAL), true,
                BypassRules.CONDITIONAL, false);
    }

    @Test
    void conservative_analysis_falls_back_to_basic_logic_without_being_degraded() {
        assertVerdict(BypassRules.decide(failures(1), STAGING, CONSERVATIVE), true, BypassRules.BASIC, false);
        assertVerdict(BypassRules.decide(failures(3), STAGING, CONSERVATIVE), false,
                BypassRules.BASIC_LIMIT_EXCEEDED, false);
    }

    @Test
    void an_unavailable_analysis_falls_back_to_basic_logic_and_says_degraded() {
        assertVerdict(BypassRules.decide(failures(1), STAGING, UNAVAILABLE), true, BypassRules.BASIC, true);
        assertVerdict(BypassRules.decide(failures(3), STAGING, UNAVAILABLE), false,
                BypassRules.BASIC_LIMIT_EXCEEDED, true);
    }

    @Test
    void a_verdict_from_the_analysis_quotes_the_analysis_reason() {
        assertThat(BypassRules.decide(failures(1), STAGING, STRICT).reason()).contains(STRICT.reason());
        assertThat(BypassRules.decide(failures(1), STAGING, PERMISSIVE).reason()).contains(PERMISSIVE.reason());
        assertThat(BypassRules.decide(failures(9), STAGING, CONDITIONAL).reason()).contains(CONDITIONAL.reason());
    }

    // Every rule explains itself

    static Stream<Arguments> oneVerdictPerRule() {
        EnvironmentPolicy tight = TestPolicies.with(STAGING, new EnvironmentPolicy.Bypass(0, 0, 0, 3,
                STAGING.bypass().infrastructureFailureTypes()));
        return Stream.of(
                Arguments.of(BypassRules.NO_FAILURES, failures(0), STAGING, STRICT),
                Arguments.of(BypassRules.MANUAL_OVERRIDE, overridden(1), STAGING, STRICT),
                Arguments.of(BypassRules.GENUINE_FAILURE, failures(1, APPLICATION_ERROR), STAGING, PERMISSIVE),
                Arguments.of(BypassRules.STRICT, failures(1), STAGING, STRICT),
                Arguments.of(BypassRules.PERMISSIVE, failures(1), STAGING, PERMISSIVE),
                Arguments.of(BypassRules.PERMISSIVE_LIMIT_EXCEEDED, failures(6), STAGING, PERMISSIVE),
                Arguments.of(BypassRules.CONDITIONAL, failures(1), STAGING, CONDITIONAL),
                Arguments.of(BypassRules.CONDITIONAL_LIMIT_EXCEEDED, failures(4), STAGING, CONDITIONAL),
                Arguments.of(BypassRules.BASIC, failures(1), STAGING, CONSERVATIVE),
                Arguments.of(BypassRules.BASIC_LIMIT_EXCEEDED, failures(3), STAGING, UNAVAILABLE),
                Arguments.of(BypassRules.INFRASTRUCTURE_FAILURES, failures(1, DATABASE_TIMEOUT), tight, STRICT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneVerdictPerRule")
    void every_rule_names_itself_and_gives_a_non_blank_reason(String rule, Input input, EnvironmentPolicy policy,
            FailureAnalysis analysis) {
        BypassRules.Verdict verdict = BypassRules.decide(input, policy, analysis);

        assertThat(verdict.rule()).isEqualTo(rule);
        assertThat(verdict.reason()).isNotBlank();
    }

    private static EnvironmentPolicy withInfrastructureTypes(EnvironmentPolicy policy, List<String> types) {
        EnvironmentPolicy.Bypass b = policy.bypass();
        return TestPolicies.with(policy, new EnvironmentPolicy.Bypass(b.permissiveMaxFailures(),
                b.conditionalMaxFailures(), b.basicMaxFailures(), b.infrastructureMaxFailures(), types));
    }
}
