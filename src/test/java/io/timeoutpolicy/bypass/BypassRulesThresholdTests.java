package io.timeoutpolicy.bypass;

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

import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.policy.PolicyDefaults;
import io.timeoutpolicy.policy.TestPolicies;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC 3 bypass thresholds, each at its value and one past it, in every built-in environment and in a
 * newly created one. Step 4 is isolated with an empty failure_types list (step 5 cannot apply to it);
 * the infrastructure threshold is reached with a strict analysis (step 4 always says no).
 */
class BypassRulesThresholdTests {

    private static final EnvironmentPolicy.BaseTimeouts NEW_BASE = new EnvironmentPolicy.BaseTimeouts(60, 30, 45,
            50, 20);

    /** One column of the SPEC 3 thresholds table, written out here rather than read from the defaults. */
    record Column(String name, EnvironmentPolicy policy, int permissive, int conditional, int basic,
            int infrastructure) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Column> environments() {
        return Stream.of(
                new Column("staging", TestPolicies.builtIn("staging"), 5, 3, 2, 3),
                new Column("production", TestPolicies.builtIn("production"), 5, 1, 1, 0),
                new Column("development", TestPolicies.builtIn("development"), 5, 2, 3, 0),
                new Column("test", TestPolicies.builtIn("test"), 5, 2, 3, 0),
                new Column("new cloud_sql environment",
                        PolicyDefaults.forNewEnvironment("orders-eu", true, NEW_BASE), 5, 2, 0, 0),
                new Column("new local environment",
                        PolicyDefaults.forNewEnvironment("sandbox", false, NEW_BASE), 5, 2, 0, 0));
    }

    /** A limit of 0 has no "at the limit" case that reaches step 4: zero failures is rule no_failures. */
    static Stream<Column> environmentsAllowingBasic() {
        return environments().filter(column -> column.basic() > 0);
    }

    static Stream<Column> environmentsAllowingInfrastructure() {
        return environments().filter(column -> column.infrastructure() > 0);
    }

    static Stream<Column> environmentsRefusingInfrastructure() {
        return environments().filter(column -> column.infrastructure() == 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("environments")
    void the_policy_carries_the_spec_thresholds_and_infrastructure_types(Column env) {
        EnvironmentPolicy.Bypass bypass = env.policy().bypass();

        assertThat(bypass).isEqualTo(new EnvironmentPolicy.Bypass(env.permissive(), env.conditional(), env.basic(),
                env.infrastructure(), List.of("database_timeout", "vpc_connector", "cloud_sql_capacity")));
    }

    // permissive_max_failures

    @ParameterizedTest(name = "{0}")
    @MethodSource("environments")
    void permissive_analysis_bypasses_at_permissive_max_failures(Column env) {
        assertVerdict(BypassRules.decide(failures(env.permissive()), env.policy(), PERMISSIVE), true,
                BypassRules.PERMISSIVE, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("environments")
    void permissive_analysis_refuses_one_past_permissive_max_failures(Column env) {
        assertVerdict(BypassRules.decide(failures(env.permissive() + 1), env.policy(), PERMISSIVE), false,
                BypassRules.PERMISSIVE_LIMIT_EXCEEDED, false);
    }

    // conditional_max_failures

    @ParameterizedTest(name = "{0}")
    @MethodSource("environments")
    void conditional_analysis_bypasses_at_conditional_max_failures(Column env) {
        assertVerdict(BypassRules.decide(failures(env.conditional()), env.policy(), CONDITIONAL), true,
                BypassRules.CONDITIONAL, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("environments")
    void conditional_analysis_refuses_one_past_conditional_max_failures(Column env) {
        assertVerdict(BypassRules.decide(failures(env.conditional() + 1), env.policy(), CONDITIONAL), false,
                BypassRules.CONDITIONAL_LIMIT_EXCEEDED, false);
    }

    // basic_max_failures, with no history (conservative) and with the analysis unavailable (degraded)

    @ParameterizedTest(name = "{0}")
    @MethodSource("environmentsAllowingBasic")
    void conservative_analysis_bypasses_at_basic_max_failures(Column env) {
        assertVerdict(BypassRules.decide(failures(env.basic()), env.policy(), CONSERVATIVE), true,
                BypassRules.BASIC, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("environments")
    void conservative_analysis_refuses_one_past_basic_max_failures(Column env) {
        assertVerdict(BypassRules.decide(failures(env.basic() + 1), env.policy(), CONSERVATIVE), false,
                BypassRules.BASIC_LIMIT_EXCEEDED, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("environmentsAllowingBasic")
    void unavailable_analysis_bypasses_at_basic_max_failures_degraded(Column env) {
        assertVerdict(BypassRules.decide(failures(env.basic()), env.policy(), UNAVAILABLE), true,
                BypassRules.BASIC, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("environments")
    void unavailable_analysis_refuses_one_past_basic_max_failures_degraded(Column env) {
        assertVerdict(BypassRules.decide(failures(env.basic() + 1), env.policy(), UNAVAILABLE), false,
                BypassRules.BASIC_LIMIT_EXCEEDED, true);
    }

    @Test
    void a_new_environment_without_history_refuses_a_single_failure() {
        EnvironmentPolicy created = PolicyDefaults.forNewEnvironment("sandbox", false, NEW_BASE);

        assertVerdict(BypassRules.decide(failures(1), created, CONSERVATIVE), false,
                BypassRules.BASIC_LIMIT_EXCEEDED, false);
        assertVerdict(BypassRules.decide(failures(1, DATABASE_TIMEOUT), created, UNAVAILABLE), false,
                BypassRules.BASIC_LIMIT_EXCEEDED, true);
    }

    // infrastructure_max_failures

    @ParameterizedTest(name = "{0}")
    @MethodSource("environmentsAllowingInfrastructure")
    void infrastructure_failures_bypass_at_infrastructure_max_failures(Column env) {
        assertVerdict(BypassRules.decide(failures(env.infrastructure(), DATABASE_TIMEOUT, VPC_CONNECTOR),
                env.policy(), STRICT), true, BypassRules.INFRASTRUCTURE_FAILURES, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("environments")
    void infrastructure_failures_are_refused_one_past_infrastructure_max_failures(Column env) {
        assertVerdict(BypassRules.decide(failures(env.infrastructure() + 1, DATABASE_TIMEOUT, VPC_CONNECTOR),
                env.policy(), STRICT), false, BypassRules.STRICT, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("environmentsRefusingInfrastructure")
    void an_environment_with_no_infrastructure_allowance_refuses_a_single_infrastructure_failure(Column env) {
        assertVerdict(BypassRules.decide(failures(1, DATABASE_TIMEOUT), env.policy(), STRICT), false,
                BypassRules.STRICT, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("environments")
    void infrastructure_failures_past_the_basic_limit_pass_only_within_the_infrastructure_limit(Column env) {
        int pastBasic = env.basic() + 1;
        boolean rescued = pastBasic <= env.infrastructure();

        assertVerdict(BypassRules.decide(failures(pastBasic, DATABASE_TIMEOUT), env.policy(), UNAVAILABLE), rescued,
                rescued ? BypassRules.INFRASTRUCTURE_FAILURES : BypassRules.BASIC_LIMIT_EXCEEDED, true);
    }
}
