package io.timeoutpolicy.policy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.timeoutpolicy.TestApi;
import static io.timeoutpolicy.TestApi.asOperator;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PolicyResourceTests {

    static final String BASE_TIMEOUTS = """
            {"initialization_timeout": 25.0, "table_setup_timeout": 12.0, "connection_timeout": 15.0,
             "pool_timeout": 25.0, "health_check_timeout": 8.0}""";

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    static String newEnvironment() {
        return "qa-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Response create(String environment, boolean cloudSql) {
        return asOperator().contentType(ContentType.JSON)
                .body("{\"cloud_sql\": " + cloudSql + ", \"base_timeouts\": " + BASE_TIMEOUTS + "}")
                .put("/api/v1/environments/" + environment + "/policy");
    }

    static int versionCount(String environment) {
        return given().get("/api/v1/environments/" + environment + "/policy/versions")
                .then().extract().path("items.size()");
    }

    @Test
    void lists_the_four_seeded_environments() {
        given().get("/api/v1/environments").then()
                .statusCode(200)
                .body("items.environment", hasItems("development", "production", "staging", "test"))
                .body("items.find { it.environment == 'staging' }.cloud_sql", equalTo(true))
                .body("items.find { it.environment == 'development' }.cloud_sql", equalTo(false))
                .body("items.find { it.environment == 'production' }.policy_version", notNullValue());
    }

    @Test
    void reads_the_complete_seeded_staging_document_with_its_etag() {
        given().get("/api/v1/environments/staging/policy").then()
                .statusCode(200)
                .header("ETag", "\"1\"")
                .body("environment", equalTo("staging"))
                .body("version", equalTo(1))
                .body("cloud_sql", equalTo(true))
                .body("base_timeouts", equalTo(Map.of("initialization_timeout", 95.0, "table_setup_timeout", 35.0,
                        "connection_timeout", 75.0, "pool_timeout", 60.0, "health_check_timeout", 30.0)))
                .body("retry", equalTo(Map.of("max_retries", 5, "base_delay", 2.0, "max_delay", 30.0,
                        "exponential_base", 2.0, "jitter", true)))
                .body("pool", equalTo(Map.of("pool_size", 10, "max_overflow", 15, "pool_timeout", 120.0,
                        "pool_recycle", 1800, "pool_pre_ping", true)))
                .body("vpc_connector", equalTo(Map.of("capacity_aware_timeouts", true,
                        "scaling_buffer_timeout", 20.0, "capacity_buffer_ratio", 0.2)))
                .body("pressure_multipliers.vpc_connector_scaling.connection_timeout", equalTo(1.5))
                .body("pressure_multipliers.cloud_sql_capacity_pressure.initialization_timeout", equalTo(1.2))
                .body("adaptive.strategy", equalTo("heuristic"))
                .body("adaptive.min_samples", equalTo(5))
                .body("adaptive.min_samples_local", equalTo(10))
                .body("adaptive.insufficient_data_factor", equalTo(1.2))
                .body("adaptive.history_window", equalTo("PT24H"))
                .body("adaptive.percentile", equalTo(Map.of("target_false_timeout_rate", 0.001, "headroom", 0.2,
                        "floor", 0.5, "ceiling", 3.0, "min_samples", 50)))
                .body("bypass.permissive_max_failures", equalTo(5))
                .body("bypass.conditional_max_failures", equalTo(3))
                .body("bypass.basic_max_failures", equalTo(2))
                .body("bypass.infrastructure_max_failures", equalTo(3))
                .body("bypass.infrastructure_failure_types",
                        contains("database_timeout", "vpc_connector", "cloud_sql_capacity"))
                .body("circuit", equalTo(Map.of("failure_threshold", 5, "reset_timeout", 60.0)))
                .body("alerts.cooldown", equalTo("PT5M"))
                .body("assessment", equalTo(Map.of("expected_avg", 5.0, "warning", 12.0, "critical", 20.0)))
                .body("updated_at", notNullValue())
                .body("updated_by", equalTo("system"));
    }

    @Test
    void production_and_development_have_their_own_thresholds() {
        given().get("/api/v1/environments/production/policy").then()
                .statusCode(200)
                .body("bypass.conditional_max_failures", equalTo(1))
                .body("bypass.basic_max_failures", equalTo(1))
                .body("bypass.infrastructure_max_failures", equalTo(0))
                .body("assessment.expected_avg", equalTo(8.0))
                .body("assessment.warning", equalTo(48.0))
                .body("assessment.critical", equalTo(57.0));
        given().get("/api/v1/environments/DEVELOPMENT/policy").then()
                .statusCode(200)
                .body("environment", equalTo("development"))
                .body("assessment", nullValue())
                .body("vpc_connector.capacity_aware_timeouts", equalTo(false))
                .body("adaptive.insufficient_data_factor", equalTo(1.1))
                .body("bypass.basic_max_failures", equalTo(3))
                .body("bypass.conditional_max_failures", equalTo(2));
    }

    @Test
    void creates_a_local_environment_with_defaults_and_reads_it_back() {
        String environment = newEnvironment();
        create(environment.toUpperCase(), false).then()
                .statusCode(201)
                .header("Location", "/api/v1/environments/" + environment + "/policy")
                .header("ETag", "\"1\"")
                .body("environment", equalTo(environment))
                .body("version", equalTo(1))
                .body("base_timeouts.connection_timeout", equalTo(15.0))
                .body("retry.max_retries", equalTo(3))
                .body("pool.pool_size", equalTo(5))
                .body("vpc_connector.capacity_aware_timeouts", equalTo(false))
                .body("adaptive.insufficient_data_factor", equalTo(1.1))
                .body("bypass.permissive_max_failures", equalTo(5))
                .body("bypass.conditional_max_failures", equalTo(2))
                .body("bypass.basic_max_failures", equalTo(0))
                .body("bypass.infrastructure_max_failures", equalTo(0))
                .body("assessment", nullValue())
                .body("updated_by", equalTo("operator"));

        given().get("/api/v1/environments/" + environment + "/policy").then()
                .statusCode(200)
                .header("ETag", "\"1\"")
                .body("base_timeouts.health_check_timeout", equalTo(8.0))
                .body("circuit.failure_threshold", equalTo(5));
        given().get("/api/v1/environments").then()
                .body("items.environment", hasItem(environment));
        given().get("/api/v1/environments/" + environment + "/timeouts").then()
                .statusCode(200)
                .body("adaptive", equalTo(false))
                .body("timeouts.connection_timeout", equalTo(15.0));
    }

    @Test
    void a_new_cloud_sql_environment_gets_the_staging_values() {
        String environment = newEnvironment();
        create(environment, true).then()
                .statusCode(201)
                .body("retry.max_retries", equalTo(5))
                .body("pool.pool_recycle", equalTo(1800))
                .body("vpc_connector.capacity_aware_timeouts", equalTo(true))
                .body("adaptive.insufficient_data_factor", equalTo(1.2))
                .body("assessment.expected_avg", equalTo(5.0))
                .body("bypass.basic_max_failures", equalTo(0));
        given().get("/api/v1/environments/" + environment + "/timeouts").then()
                .body("adaptive", equalTo(true))
                .body("timeouts.connection_timeout", equalTo(18.0));
    }

    @Test
    void replacing_with_the_current_version_makes_version_2_and_changes_timeouts() {
        String environment = newEnvironment();
        String document = create(environment, false).then().statusCode(201).extract().asString();
        String changed = document.replace("\"connection_timeout\":15.0", "\"connection_timeout\":40.0");

        asOperator().contentType(ContentType.JSON).header("If-Match", "\"1\"").body(changed)
                .put("/api/v1/environments/" + environment + "/policy").then()
                .statusCode(200)
                .header("ETag", "\"2\"")
                .body("version", equalTo(2))
                .body("base_timeouts.connection_timeout", equalTo(40.0));

        given().get("/api/v1/environments/" + environment + "/timeouts").then()
                .body("policy_version", equalTo(2))
                .body("timeouts.connection_timeout", equalTo(40.0));
        given().get("/api/v1/environments/" + environment + "/policy/versions").then()
                .statusCode(200)
                .body("items.version", contains(2, 1))
                .body("items[1].base_timeouts.connection_timeout", equalTo(15.0));
    }

    @Test
    void a_stale_if_match_is_a_412_and_writes_nothing() {
        String environment = newEnvironment();
        String document = create(environment, false).then().statusCode(201).extract().asString();
        asOperator().contentType(ContentType.JSON).header("If-Match", "\"1\"").body(document)
                .put("/api/v1/environments/" + environment + "/policy").then().statusCode(200);

        asOperator().contentType(ContentType.JSON).header("If-Match", "\"1\"").body(document)
                .put("/api/v1/environments/" + environment + "/policy").then()
                .statusCode(412)
                .contentType("application/problem+json")
                .body("detail", containsString("\"2\""));
        org.assertj.core.api.Assertions.assertThat(versionCount(environment)).isEqualTo(2);
    }

    @Test
    void replacing_without_if_match_is_a_428() {
        String environment = newEnvironment();
        String document = create(environment, false).then().statusCode(201).extract().asString();
        asOperator().contentType(ContentType.JSON).body(document)
                .put("/api/v1/environments/" + environment + "/policy").then()
                .statusCode(428)
                .contentType("application/problem+json")
                .body("status", equalTo(428));
        org.assertj.core.api.Assertions.assertThat(versionCount(environment)).isEqualTo(1);
    }

    @Test
    void replacing_needs_the_complete_document() {
        String environment = newEnvironment();
        create(environment, false).then().statusCode(201);
        asOperator().contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body("{\"cloud_sql\": false, \"base_timeouts\": " + BASE_TIMEOUTS + "}")
                .put("/api/v1/environments/" + environment + "/policy").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("retry", "pool", "adaptive", "bypass", "circuit", "alerts"));
        org.assertj.core.api.Assertions.assertThat(versionCount(environment)).isEqualTo(1);
    }

    @Test
    void creating_needs_cloud_sql_and_all_five_base_timeouts() {
        String environment = newEnvironment();
        asOperator().contentType(ContentType.JSON)
                .body("{\"base_timeouts\": {\"connection_timeout\": 10.0}}")
                .put("/api/v1/environments/" + environment + "/policy").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("cloud_sql", "base_timeouts.initialization_timeout",
                        "base_timeouts.table_setup_timeout", "base_timeouts.pool_timeout",
                        "base_timeouts.health_check_timeout"));
        given().get("/api/v1/environments/" + environment + "/policy").then().statusCode(404);
    }

    @Test
    void out_of_range_values_are_listed_field_by_field_and_nothing_is_written() {
        String environment = newEnvironment();
        asOperator().contentType(ContentType.JSON)
                .body("""
                        {"cloud_sql": false,
                         "base_timeouts": {"initialization_timeout": 0, "table_setup_timeout": -1,
                           "connection_timeout": 1e400, "pool_timeout": 25.0, "health_check_timeout": 8.0},
                         "vpc_connector": {"capacity_aware_timeouts": false, "scaling_buffer_timeout": 20.0,
                           "capacity_buffer_ratio": 1.0},
                         "adaptive": {"strategy": "psychic", "min_samples": 0, "min_samples_local": 10,
                           "insufficient_data_factor": 1.1, "history_window": "PT30S",
                           "percentile": {"target_false_timeout_rate": 0.001, "headroom": 0.2, "floor": 4.0,
                             "ceiling": 3.0, "min_samples": 50}},
                         "pressure_multipliers": {"vpc_connector_scaling": {"vacuum_timeout": 2.0}}}""")
                .put("/api/v1/environments/" + environment + "/policy").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("base_timeouts.initialization_timeout",
                        "base_timeouts.table_setup_timeout", "base_timeouts.connection_timeout",
                        "vpc_connector.capacity_buffer_ratio", "adaptive.strategy"));
        given().get("/api/v1/environments/" + environment + "/policy").then().statusCode(404);
    }

    @Test
    void unknown_fields_wrong_types_and_malformed_json_are_400s() {
        String environment = newEnvironment();
        String path = "/api/v1/environments/" + environment + "/policy";
        asOperator().contentType(ContentType.JSON).body("{\"cloud_sql\": false, \"color\": \"blue\"}").put(path).then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("color"));
        asOperator().contentType(ContentType.JSON).body("{\"cloud_sql\": \"false\"}").put(path).then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("cloud_sql"));
        asOperator().contentType(ContentType.JSON).body("{\"cloud_sql\": false, \"base_timeouts\": {\"pool_timeout\": \"9\"}}")
                .put(path).then()
                .statusCode(400).body("errors[0].field", equalTo("base_timeouts.pool_timeout"));
        asOperator().contentType(ContentType.JSON).body("{\"cloud_sql\": fal").put(path).then()
                .statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("not valid JSON"));
        asOperator().contentType(ContentType.JSON).body("").put(path).then()
                .statusCode(400).contentType("application/problem+json");
        asOperator().contentType(ContentType.JSON).body("[]").put(path).then()
                .statusCode(400).contentType("application/problem+json");
        given().get(path).then().statusCode(404);
    }

    @Test
    void an_environment_field_that_contradicts_the_path_is_rejected() {
        String environment = newEnvironment();
        asOperator().contentType(ContentType.JSON)
                .body("{\"environment\": \"production\", \"cloud_sql\": false, \"base_timeouts\": " + BASE_TIMEOUTS + "}")
                .put("/api/v1/environments/" + environment + "/policy").then()
                .statusCode(400)
                .body("errors[0].field", equalTo("environment"));
    }

    @Test
    void if_match_on_an_environment_that_does_not_exist_is_a_412() {
        asOperator().contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body("{\"cloud_sql\": false, \"base_timeouts\": " + BASE_TIMEOUTS + "}")
                .put("/api/v1/environments/" + newEnvironment() + "/policy").then()
                .statusCode(412);
    }

    @Test
    void unknown_environments_are_404s_naming_the_known_ones() {
        given().get("/api/v1/environments/nope/policy").then()
                .statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("staging"));
        given().get("/api/v1/environments/nope/policy/versions").then()
                .statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("production"));
        given().get("/api/v1/environments/NOT%20VALID/policy").then()
                .statusCode(400).contentType("application/problem+json");
    }

    @Test
    void versions_of_a_seeded_environment_list_version_1() {
        given().get("/api/v1/environments/test/policy/versions").then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].version", equalTo(1))
                .body("items[0].base_timeouts.health_check_timeout", equalTo(5.0));
    }
}
