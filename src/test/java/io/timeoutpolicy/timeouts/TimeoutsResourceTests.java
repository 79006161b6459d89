package io.timeoutpolicy.timeouts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.timeoutpolicy.TestApi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TimeoutsResourceTests {

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    @Test
    void staging_without_history_gets_base_times_insufficient_data_factor() {
        given().get("/api/v1/environments/staging/timeouts").then()
                .statusCode(200)
                .contentType("application/json")
                .body("environment", equalTo("staging"))
                .body("policy_version", equalTo(1))
                .body("strategy", equalTo("heuristic"))
                .body("adaptive", equalTo(true))
                .body("degraded", equalTo(false))
                .body("samples", equalTo(0))
                .body("timeouts.initialization_timeout", equalTo(114.0))
                .body("timeouts.table_setup_timeout", equalTo(42.0))
                .body("timeouts.connection_timeout", equalTo(90.0))
                .body("timeouts.pool_timeout", equalTo(72.0))
                .body("timeouts.health_check_timeout", equalTo(36.0))
                .body("base_timeouts.connection_timeout", equalTo(75.0))
                .body("explanations.connection_timeout.branch", equalTo("insufficient_data"))
                .body("explanations.connection_timeout.base", equalTo(75.0))
                .body("explanations.connection_timeout.multiplier", equalTo(1.2))
                .body("explanations.connection_timeout.pressure_factor", equalTo(1.0))
                .body("explanations.connection_timeout.samples", equalTo(0))
                .body("explanations.connection_timeout.text", containsString("insufficient data"))
                .body("pressure", empty())
                .body("computed_at", notNullValue());
    }

    @Test
    void production_without_history_gets_its_own_bases_times_1_2() {
        given().get("/api/v1/environments/production/timeouts").then()
                .statusCode(200)
                .body("timeouts.initialization_timeout", equalTo(108.0))
                .body("timeouts.table_setup_timeout", equalTo(54.0))
                .body("timeouts.connection_timeout", equalTo(72.0))
                .body("timeouts.pool_timeout", equalTo(84.0))
                .body("timeouts.health_check_timeout", equalTo(36.0));
    }

    @Test
    void development_without_history_is_static() {
        given().get("/api/v1/environments/development/timeouts").then()
                .statusCode(200)
                .body("adaptive", equalTo(false))
                .body("timeouts.initialization_timeout", equalTo(30.0))
                .body("timeouts.table_setup_timeout", equalTo(15.0))
                .body("timeouts.connection_timeout", equalTo(20.0))
                .body("timeouts.pool_timeout", equalTo(30.0))
                .body("timeouts.health_check_timeout", equalTo(10.0))
                .body("explanations.connection_timeout.branch", equalTo("static"))
                .body("explanations.connection_timeout.multiplier", equalTo(1.0));
    }

    @Test
    void vpc_connector_scaling_multiplies_only_the_connection_timeout() {
        given().queryParam("pressure", "vpc_connector_scaling")
                .get("/api/v1/environments/staging/timeouts").then()
                .statusCode(200)
                .body("timeouts.connection_timeout", equalTo(135.0))
                .body("timeouts.initialization_timeout", equalTo(114.0))
                .body("explanations.connection_timeout.pressure_factor", equalTo(1.5))
                .body("explanations.initialization_timeout.pressure_factor", equalTo(1.0))
                .body("pressure", contains("vpc_connector_scaling"));
    }

    @Test
    void both_indicators_given_repeatedly_and_in_any_case_count_once() {
        given().queryParam("pressure", "VPC_connector_scaling,cloud_sql_capacity_pressure")
                .queryParam("pressure", "vpc_connector_scaling")
                .get("/api/v1/environments/test/timeouts").then()
                .statusCode(200)
                .body("timeouts.connection_timeout", equalTo(22.5))
                .body("timeouts.initialization_timeout", equalTo(24.0))
                .body("pressure", contains("vpc_connector_scaling", "cloud_sql_capacity_pressure"));
    }

    @Test
    void an_empty_pressure_value_means_none() {
        given().queryParam("pressure", "")
                .get("/api/v1/environments/staging/timeouts").then()
                .statusCode(200)
                .body("timeouts.connection_timeout", equalTo(90.0))
                .body("pressure", empty());
    }

    @Test
    void an_unknown_pressure_indicator_is_a_400_listing_the_known_ones() {
        given().queryParam("pressure", "vpc_connector_scaling,solar_flares")
                .get("/api/v1/environments/staging/timeouts").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", containsString("solar_flares"))
                .body("detail", containsString("vpc_connector_scaling"))
                .body("detail", containsString("cloud_sql_capacity_pressure"))
                .body("errors[0].field", equalTo("pressure"));
    }

    @Test
    void environment_names_are_case_insensitive() {
        given().get("/api/v1/environments/StAgInG/timeouts").then()
                .statusCode(200)
                .body("environment", equalTo("staging"))
                .body("timeouts.connection_timeout", equalTo(90.0));
    }

    @Test
    void an_unknown_environment_is_a_404_naming_the_known_ones() {
        given().get("/api/v1/environments/nope/timeouts").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", notNullValue())
                .body("type", notNullValue())
                .body("detail", containsString("nope"))
                .body("detail", containsString("development"))
                .body("detail", containsString("production"))
                .body("detail", containsString("staging"))
                .body("detail", containsString("test"));
    }

    @Test
    void a_malformed_environment_name_is_a_400() {
        given().get("/api/v1/environments/-bad!/timeouts").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("environment"));
        given().get("/api/v1/environments/" + "a".repeat(65) + "/timeouts").then().statusCode(400);
    }

    @Test
    void operation_restricts_the_answer_to_one_key() {
        given().queryParam("operation", "connection")
                .get("/api/v1/environments/staging/timeouts").then()
                .statusCode(200)
                .body("timeouts.connection_timeout", equalTo(90.0))
                .body("timeouts", not(hasKey("pool_timeout")))
                .body("base_timeouts", not(hasKey("pool_timeout")))
                .body("explanations", not(hasKey("pool_timeout")))
                .body("base_timeouts.connection_timeout", equalTo(75.0));
    }

    @Test
    void an_unknown_operation_is_a_400_listing_the_allowed_ones() {
        given().queryParam("operation", "vacuum")
                .get("/api/v1/environments/staging/timeouts").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("table_setup"))
                .body("detail", containsString("health_check"))
                .body("errors[0].field", equalTo("operation"));
    }

    @Test
    void startup_config_gathers_timeouts_retry_and_pool_advice() {
        given().queryParam("pressure", "cloud_sql_capacity_pressure")
                .get("/api/v1/environments/production/startup-config").then()
                .statusCode(200)
                .body("environment", equalTo("production"))
                .body("policy_version", equalTo(1))
                .body("degraded", equalTo(false))
                .body("timeouts.timeouts.initialization_timeout", equalTo(129.6))
                .body("timeouts.timeouts.connection_timeout", equalTo(72.0))
                .body("timeouts.pressure", contains("cloud_sql_capacity_pressure"))
                .body("retry.max_retries", equalTo(5))
                .body("retry.base_delay", equalTo(2.0))
                .body("retry.max_delay", equalTo(30.0))
                .body("retry.exponential_base", equalTo(2.0))
                .body("retry.jitter", equalTo(true))
                .body("pool.pool_size", equalTo(10))
                .body("pool.max_overflow", equalTo(15))
                .body("pool.pool_timeout", equalTo(120.0))
                .body("pool.pool_recycle", equalTo(1800))
                .body("pool.pool_pre_ping", equalTo(true));
    }

    @Test
    void startup_config_of_a_local_environment_gives_local_advice() {
        given().get("/api/v1/environments/development/startup-config").then()
                .statusCode(200)
                .body("retry.max_retries", equalTo(3))
                .body("retry.base_delay", equalTo(1.0))
                .body("retry.max_delay", equalTo(10.0))
                .body("pool.pool_size", equalTo(5))
                .body("pool.max_overflow", equalTo(10))
                .body("pool.pool_timeout", equalTo(30.0))
                .body("pool.pool_recycle", equalTo(3600));
    }

    @Test
    void startup_config_of_an_unknown_environment_is_a_404() {
        given().get("/api/v1/environments/nope/startup-config").then()
                .statusCode(404)
                .contentType("application/problem+json");
    }
}
