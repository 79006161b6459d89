package io.timeoutpolicy.policy;

import static io.timeoutpolicy.policy.TestPolicies.builtIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.timeoutpolicy.platform.problem.FieldError;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC 3.1: what a PUT body becomes, and what it must contain. */
class PolicyAssemblerTests {

    private static final PolicyRequest.BaseTimeouts BASE = new PolicyRequest.BaseTimeouts(40.0, 20.0, 30.0, 25.0, 5.0);
    private static final List<String> INFRASTRUCTURE = List.of("database_timeout", "vpc_connector", "cloud_sql_capacity");

    @Test
    void new_cloud_sql_environment_gets_the_staging_groups_and_the_new_environment_bypass() {
        PolicyAssembler.Result result = PolicyAssembler.create("qa", minimal(true, BASE));

        assertThat(result.errors()).isEmpty();
        EnvironmentPolicy p = result.policy();
        assertThat(p.environment()).isEqualTo("qa");
        assertThat(p.cloudSql()).isTrue();
        assertThat(p.baseTimeouts()).isEqualTo(new EnvironmentPolicy.BaseTimeouts(40, 20, 30, 25, 5));
        assertThat(p.retry()).isEqualTo(new EnvironmentPolicy.Retry(5, 2.0, 30.0, 2.0, true));
        assertThat(p.pool()).isEqualTo(new EnvironmentPolicy.Pool(10, 15, 120.0, 1800, true));
        assertThat(p.vpcConnector()).isEqualTo(new EnvironmentPolicy.VpcConnector(true, 20.0, 0.2));
        assertThat(p.assessment()).isEqualTo(new EnvironmentPolicy.Assessment(5.0, 12.0, 20.0));
        assertThat(p.adaptive()).isEqualTo(adaptive(1.2));
        assertThat(p.bypass()).isEqualTo(new EnvironmentPolicy.Bypass(5, 2, 0, 0, INFRASTRUCTURE));
        assertCommonDefaults(p);
    }

    @Test
    void new_local_environment_gets_the_local_groups_and_no_assessment() {
        PolicyAssembler.Result result = PolicyAssembler.create("qa", minimal(false, BASE));

        assertThat(result.errors()).isEmpty();
        EnvironmentPolicy p = result.policy();
        assertThat(p.cloudSql()).isFalse();
        assertThat(p.retry()).isEqualTo(new EnvironmentPolicy.Retry(3, 1.0, 10.0, 2.0, true));
        assertThat(p.pool()).isEqualTo(new EnvironmentPolicy.Pool(5, 10, 30.0, 3600, true));
        assertThat(p.vpcConnector().capacityAwareTimeouts()).isFalse();
        assertThat(p.assessment()).isNull();
        assertThat(p.adaptive()).isEqualTo(adaptive(1.1));
        assertThat(p.bypass()).isEqualTo(new EnvironmentPolicy.Bypass(5, 2, 0, 0, INFRASTRUCTURE));
        assertCommonDefaults(p);
    }

    @Test
    void creating_without_cloud_sql_is_a_field_error() {
        assertThat(fields(PolicyAssembler.create("qa", minimal(null, BASE)))).containsExactly("cloud_sql");
    }

    @Test
    void creating_without_base_timeouts_is_a_field_error() {
        assertThat(fields(PolicyAssembler.create("qa", minimal(true, null)))).containsExactly("base_timeouts");
    }

    @Test
    void creating_without_one_base_timeout_names_that_timeout() {
        PolicyRequest.BaseTimeouts partial = new PolicyRequest.BaseTimeouts(40.0, 20.0, null, 25.0, 5.0);
        assertThat(fields(PolicyAssembler.create("qa", minimal(false, partial))))
                .containsExactly("base_timeouts.connection_timeout");
    }

    @Test
    void replacing_with_the_complete_document_is_valid() {
        EnvironmentPolicy staging = builtIn("staging");
        PolicyAssembler.Result result = PolicyAssembler.replace(complete(staging), staging);

        assertThat(result.errors()).isEmpty();
        assertThat(result.policy().environment()).isEqualTo("staging");
        assertThat(result.policy().retry()).isEqualTo(staging.retry());
        assertThat(result.policy().adaptive()).isEqualTo(staging.adaptive());
        assertThat(result.policy().assessment()).isEqualTo(staging.assessment());
    }

    @ParameterizedTest(name = "without {0}")
    @ValueSource(strings = {"base_timeouts", "retry", "pool", "vpc_connector", "pressure_multipliers", "adaptive",
            "bypass", "circuit", "alerts", "assessment"})
    void replacing_without_a_group_names_the_missing_group(String group) {
        EnvironmentPolicy staging = builtIn("staging");
        PolicyAssembler.Result result = PolicyAssembler.replace(without(complete(staging), group), staging);
        assertThat(fields(result)).containsExactly(group);
    }

    @Test
    void replacing_without_a_field_of_a_group_names_the_field() {
        EnvironmentPolicy staging = builtIn("staging");
        PolicyRequest full = complete(staging);
        PolicyRequest.Adaptive a = full.adaptive();
        PolicyRequest noWindow = with(full, new PolicyRequest.Adaptive(a.strategy(), a.minSamples(),
                a.minSamplesLocal(), a.insufficientDataFactor(), null, a.percentile()));
        PolicyRequest noJitter = with(full, new PolicyRequest.Retry(5, 2.0, 30.0, 2.0, null));

        assertThat(fields(PolicyAssembler.replace(noWindow, staging))).containsExactly("adaptive.history_window");
        assertThat(fields(PolicyAssembler.replace(noJitter, staging))).containsExactly("retry.jitter");
    }

    @Test
    void replacing_a_local_policy_needs_no_assessment() {
        EnvironmentPolicy development = builtIn("development");
        PolicyAssembler.Result result = PolicyAssembler.replace(complete(development), development);
        assertThat(result.errors()).isEmpty();
        assertThat(result.policy().assessment()).isNull();
    }

    @Test
    void environment_field_that_differs_from_the_path_is_an_error() {
        PolicyRequest request = withReadOnly(minimal(true, BASE), "staging", null, null, null);
        assertThat(fields(PolicyAssembler.create("qa", request))).containsExactly("environment");
    }

    @Test
    void environment_field_matching_the_path_in_another_case_is_accepted() {
        PolicyRequest request = withReadOnly(minimal(true, BASE), "QA", null, null, null);
        assertThat(PolicyAssembler.create("qa", request).errors()).isEmpty();
    }

    @Test
    void read_only_version_and_update_fields_are_ignored() {
        PolicyRequest request = withReadOnly(minimal(true, BASE), "qa", 99, "not a time", "mallory");
        PolicyAssembler.Result result = PolicyAssembler.create("qa", request);

        assertThat(result.errors()).isEmpty();
        assertThat(result.policy().version()).isNotEqualTo(99);
        assertThat(result.policy().updatedBy()).isNotEqualTo("mallory");
    }

    @Test
    void infrastructure_failure_types_are_lower_cased_and_kept_once() {
        PolicyRequest request = with(minimal(true, BASE), new PolicyRequest.Bypass(5, 2, 0, 0,
                List.of("Database_Timeout", "database_timeout", "VPC_CONNECTOR", "vpc_connector")));
        PolicyAssembler.Result result = PolicyAssembler.create("qa", request);

        assertThat(result.errors()).isEmpty();
        assertThat(result.policy().bypass().infrastructureFailureTypes())
                .containsExactly("database_timeout", "vpc_connector");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"24 hours", "PT24", "P1H", ""})
    void malformed_history_window_is_a_field_error(String window) {
        PolicyRequest request = with(minimal(true, BASE), adaptiveRequest("heuristic", window));
        assertThat(fields(PolicyAssembler.create("qa", request))).containsExactly("adaptive.history_window");
    }

    @Test
    void malformed_alert_cooldown_is_a_field_error() {
        PolicyRequest request = with(minimal(true, BASE), new PolicyRequest.Alerts("five minutes"));
        assertThat(fields(PolicyAssembler.create("qa", request))).containsExactly("alerts.cooldown");
    }

    @Test
    void history_window_out_of_range_is_a_field_error() {
        PolicyRequest request = with(minimal(true, BASE), adaptiveRequest("heuristic", "PT59S"));
        assertThat(fields(PolicyAssembler.create("qa", request))).containsExactly("adaptive.history_window");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"heuristic", "percentile"})
    void strategy_heuristic_or_percentile_is_accepted(String strategy) {
        PolicyRequest request = with(minimal(true, BASE), adaptiveRequest(strategy, "PT1H"));
        PolicyAssembler.Result result = PolicyAssembler.create("qa", request);
        assertThat(result.errors()).isEmpty();
        assertThat(result.policy().adaptive().strategy().wireName()).isEqualTo(strategy);
        assertThat(result.policy().adaptive().historyWindow()).isEqualTo(Duration.ofHours(1));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fastest", "p99", ""})
    void any_other_strategy_is_a_field_error(String strategy) {
        PolicyRequest request = with(minimal(true, BASE), adaptiveRequest(strategy, "PT1H"));
        assertThat(fields(PolicyAssembler.create("qa", request))).containsExactly("adaptive.strategy");
    }

    @Test
    void out_of_range_values_in_the_body_are_reported_by_field() {
        PolicyRequest request = with(minimal(true, new PolicyRequest.BaseTimeouts(40.0, 0.0, 30.0, 25.0, 5.0)),
                new PolicyRequest.Bypass(5, 2, -1, 0, INFRASTRUCTURE));
        assertThat(fields(PolicyAssembler.create("qa", request)))
                .containsExactlyInAnyOrder("base_timeouts.table_setup_timeout", "bypass.basic_max_failures");
    }

    private static void assertCommonDefaults(EnvironmentPolicy p) {
        assertThat(p.pressureMultipliers()).isEqualTo(Map.of(
                "vpc_connector_scaling", Map.of("connection_timeout", 1.5),
                "cloud_sql_capacity_pressure", Map.of("initialization_timeout", 1.2)));
        assertThat(p.circuit()).isEqualTo(new EnvironmentPolicy.Circuit(5, 60.0));
        assertThat(p.alerts()).isEqualTo(new EnvironmentPolicy.Alerts(Duration.ofMinutes(5)));
    }

    private static EnvironmentPolicy.Adaptive adaptive(double insufficientDataFactor) {
        return new EnvironmentPolicy.Adaptive(Strategy.HEURISTIC, 5, 10, insufficientDataFactor, Duration.ofHours(24),
                new EnvironmentPolicy.Percentile(0.001, 0.2, 0.5, 3.0, 50));
    }

    private static PolicyRequest.Adaptive adaptiveRequest(String strategy, String window) {
        return new PolicyRequest.Adaptive(strategy, 5, 10, 1.2, window, null);
    }

    private static List<String> fields(PolicyAssembler.Result result) {
        return result.errors().stream().map(FieldError::field).toList();
    }

    private static PolicyRequest minimal(Boolean cloudSql, PolicyRequest.BaseTimeouts base) {
        return new PolicyRequest(null, null, cloudSql, base, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    /** The body a client sends back after reading {@code p}, without the read-only fields. */
    private static PolicyRequest complete(EnvironmentPolicy p) {
        EnvironmentPolicy.BaseTimeouts b = p.baseTimeouts();
        EnvironmentPolicy.Retry r = p.retry();
        EnvironmentPolicy.Pool o = p.pool();
        EnvironmentPolicy.VpcConnector v = p.vpcConnector();
        EnvironmentPolicy.Adaptive a = p.adaptive();
        EnvironmentPolicy.Percentile c = a.percentile();
        EnvironmentPolicy.Bypass y = p.bypass();
        EnvironmentPolicy.Assessment s = p.assessment();
        return new PolicyRequest(null, null, p.cloudSql(),
                new PolicyRequest.BaseTimeouts(b.initializationTimeout(), b.tableSetupTimeout(), b.connectionTimeout(),
                        b.poolTimeout(), b.healthCheckTimeout()),
                new PolicyRequest.Retry(r.maxRetries(), r.baseDelay(), r.maxDelay(), r.exponentialBase(), r.jitter()),
                new PolicyRequest.Pool(o.poolSize(), o.maxOverflow(), o.poolTimeout(), o.poolRecycle(), o.poolPrePing()),
                new PolicyRequest.VpcConnector(v.capacityAwareTimeouts(), v.scalingBufferTimeout(),
                        v.capacityBufferRatio()),
                p.pressureMultipliers(),
                new PolicyRequest.Adaptive(a.strategy().wireName(), a.minSamples(), a.minSamplesLocal(),
                        a.insufficientDataFactor(), a.historyWindow().toString(),
                        new PolicyRequest.Percentile(c.targetFalseTimeoutRate(), c.headroom(), c.floor(), c.ceiling(),
                                c.minSamples())),
                new PolicyRequest.Bypass(y.permissiveMaxFailures(), y.conditionalMaxFailures(), y.basicMaxFailures(),
                        y.infrastructureMaxFailures(), y.infrastructureFailureTypes()),
                new PolicyRequest.Circuit(p.circuit().failureThreshold(), p.circuit().resetTimeout()),
                new PolicyRequest.Alerts(p.alerts().cooldown().toString()),
                s == null ? null : new PolicyRequest.Assessment(s.expectedAvg(), s.warning(), s.critical()),
                null, null);
    }

    /** {@code r} with one group left out. */
    private static PolicyRequest without(PolicyRequest r, String group) {
        return new PolicyRequest(r.environment(), r.version(), r.cloudSql(),
                group.equals("base_timeouts") ? null : r.baseTimeouts(),
                group.equals("retry") ? null : r.retry(),
                group.equals("pool") ? null : r.pool(),
                group.equals("vpc_connector") ? null : r.vpcConnector(),
                group.equals("pressure_multipliers") ? null : r.pressureMultipliers(),
                group.equals("adaptive") ? null : r.adaptive(),
                group.equals("bypass") ? null : r.bypass(),
                group.equals("circuit") ? null : r.circuit(),
                group.equals("alerts") ? null : r.alerts(),
                group.equals("assessment") ? null : r.assessment(),
                r.updatedAt(), r.updatedBy());
    }

    private static PolicyRequest with(PolicyRequest r, Object group) {
        return new PolicyRequest(r.environment(), r.version(), r.cloudSql(), r.baseTimeouts(),
                group instanceof PolicyRequest.Retry g ? g : r.retry(),
                r.pool(), r.vpcConnector(), r.pressureMultipliers(),
                group instanceof PolicyRequest.Adaptive g ? g : r.adaptive(),
                group instanceof PolicyRequest.Bypass g ? g : r.bypass(),
                r.circuit(),
                group instanceof PolicyRequest.Alerts g ? g : r.alerts(),
                r.assessment(), r.updatedAt(), r.updatedBy());
    }

    private static PolicyRequest withReadOnly(PolicyRequest r, String environment, Integer version, String updatedAt,
            String updatedBy) {
        return new PolicyRequest(environment, version, r.cloudSql(), r.baseTimeouts(), r.retry(), r.pool(),
                r.vpcConnector(), r.pressureMultipliers(), r.adaptive(), r.bypass(), r.circuit(), r.alerts(),
                r.assessment(), updatedAt, updatedBy);
    }
}
