package io.timeoutpolicy.timeouts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.timeoutpolicy.platform.problem.ProblemException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** SPEC 4.2 step 4: the {@code pressure} query parameter. */
class PressureIndicatorsTests {

    private static final String VPC = "vpc_connector_scaling";
    private static final String CAPACITY = "cloud_sql_capacity_pressure";
    private static final Set<String> KNOWN = Set.of(VPC, CAPACITY);

    @Test
    void comma_separated_names_are_all_applied_in_order() {
        assertThat(PressureIndicators.parse(List.of(VPC + "," + CAPACITY), KNOWN)).containsExactly(VPC, CAPACITY);
    }

    @Test
    void repeated_parameters_are_all_applied() {
        assertThat(PressureIndicators.parse(List.of(CAPACITY, VPC), KNOWN)).containsExactly(CAPACITY, VPC);
    }

    @Test
    void names_are_matched_case_insensitively_and_answered_lower_case() {
        assertThat(PressureIndicators.parse(List.of("VPC_Connector_Scaling"), KNOWN)).containsExactly(VPC);
    }

    @Test
    void name_given_twice_counts_once() {
        List<String> values = List.of(VPC + "," + VPC.toUpperCase(), VPC, CAPACITY + "," + VPC);
        assertThat(PressureIndicators.parse(values, KNOWN)).containsExactly(VPC, CAPACITY);
    }

    @Test
    void spaces_around_names_are_ignored() {
        assertThat(PressureIndicators.parse(List.of(" " + VPC + " , " + CAPACITY), KNOWN))
                .containsExactly(VPC, CAPACITY);
    }

    @Test
    void empty_value_means_no_pressure() {
        assertThat(PressureIndicators.parse(List.of(""), KNOWN)).isEmpty();
        assertThat(PressureIndicators.parse(List.of(",", " "), KNOWN)).isEmpty();
    }

    @Test
    void no_parameter_means_no_pressure() {
        assertThat(PressureIndicators.parse(List.of(), KNOWN)).isEmpty();
    }

    @Test
    void unknown_name_is_a_400_that_lists_the_known_names() {
        ProblemException problem = catchThrowableOfType(ProblemException.class,
                () -> PressureIndicators.parse(List.of("gravity"), KNOWN));

        assertThat(problem).isNotNull();
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.getMessage()).contains("gravity", VPC, CAPACITY);
    }

    @Test
    void unknown_name_among_known_ones_is_still_a_400() {
        ProblemException problem = catchThrowableOfType(ProblemException.class,
                () -> PressureIndicators.parse(List.of(VPC + ",gravity"), KNOWN));

        assertThat(problem).isNotNull();
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.getMessage()).contains("gravity", VPC, CAPACITY);
    }

    @Test
    void names_a_policy_defines_beyond_the_defaults_are_known() {
        Set<String> known = Set.of(VPC, CAPACITY, "regional_failover");
        assertThat(PressureIndicators.parse(List.of("regional_failover"), known)).containsExactly("regional_failover");
    }
}
