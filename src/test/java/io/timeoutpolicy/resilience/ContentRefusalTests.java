package io.timeoutpolicy.resilience;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A write PostgreSQL refuses for its content is not an outage (SPEC 7). The refusal is real: a CHECK constraint
 * this test adds to the test database refuses one service name (SQLSTATE 23514), something no input check can
 * know. The refused row is set aside in rejected_rows and counted; the rest of its batch is stored; nothing is
 * held, no breaker opens and the service never says degraded.
 */
@QuarkusTest
@TestProfile(FaultProfile.class)
class ContentRefusalTests {

    private final String poison = "poison-" + UUID.randomUUID();
    private final String service = "refusal-" + UUID.randomUUID();

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    @BeforeEach
    void refuseOneServiceName() throws Exception {
        Outages.healthy();
        execute("ALTER TABLE attempts ADD CONSTRAINT test_refuses_poison CHECK (service IS DISTINCT FROM '"
                + poison + "')");
        execute("ALTER TABLE bypass_decisions ADD CONSTRAINT test_refuses_poison CHECK (deployment IS DISTINCT FROM '"
                + poison + "')");
    }

    @AfterEach
    void allowIt() throws Exception {
        FaultProxyResource.proxy.pass();
        execute("ALTER TABLE attempts DROP CONSTRAINT IF EXISTS test_refuses_poison");
        execute("ALTER TABLE bypass_decisions DROP CONSTRAINT IF EXISTS test_refuses_poison");
    }

    @Test
    void one_refused_row_of_a_stored_batch_is_set_aside_and_the_other_nine_are_stored() throws Exception {
        double before = Outages.counter("timeout_policy_rejected_rows_total{kind=\"attempts\"}");

        post(batch(9)).then().statusCode(201).body("recorded", equalTo(9));

        assertThat(stored()).isEqualTo(9);
        assertThat(Outages.count("SELECT count(*) FROM rejected_rows WHERE kind = 'attempts' AND sql_state = '23514'"
                + " AND payload LIKE ?", "%" + poison + "%")).isEqualTo(1);
        assertThat(Outages.counter("timeout_policy_rejected_rows_total{kind=\"attempts\"}") - before).isEqualTo(1.0);
        assertThat(Outages.counter("timeout_policy_write_buffer_depth{buffer=\"attempts\"}")).isZero();
        notDegraded();
    }

    @Test
    void refused_rows_never_open_the_breaker_nor_hold_what_follows() throws Exception {
        for (int i = 0; i < 12; i++) {
            post(List.of(attempt(poison))).then().statusCode(201).body("recorded", equalTo(0));
        }
        post(batch(0)).then().statusCode(201).body("recorded", equalTo(0));
        post(List.of(attempt(service))).then().statusCode(201).body("recorded", equalTo(1));
        assertThat(stored()).isEqualTo(1);
        notDegraded();
    }

    @Test
    void a_refused_row_held_during_an_outage_is_set_aside_when_it_is_written_and_the_rest_stored() throws Exception {
        FaultProxyResource.proxy.cut();
        post(batch(9)).then().statusCode(202).body("recorded", equalTo(10));
        FaultProxyResource.proxy.pass();

        Outages.awaitCount("SELECT count(*) FROM attempts WHERE service = ?", service, 9, Duration.ofSeconds(20));
        Outages.awaitMetric("timeout_policy_write_buffer_depth{buffer=\"attempts\"}", 0.0, Duration.ofSeconds(10));
        assertThat(Outages.count("SELECT count(*) FROM rejected_rows WHERE payload LIKE ?", "%" + poison + "%"))
                .isEqualTo(1);
        post(List.of(attempt(service))).then().statusCode(201);
        notDegraded();
    }

    @Test
    void a_decision_the_database_refuses_is_set_aside_and_the_next_one_is_stored() throws Exception {
        decide(poison).then().statusCode(201);
        decide(service).then().statusCode(201).body("degraded", equalTo(false));

        assertThat(Outages.count("SELECT count(*) FROM rejected_rows WHERE kind = 'decisions' AND payload LIKE ?",
                "%" + poison + "%")).isEqualTo(1);
        assertThat(Outages.count("SELECT count(*) FROM bypass_decisions WHERE deployment = ?", service)).isEqualTo(1);
        assertThat(Outages.counter("timeout_policy_write_buffer_depth{buffer=\"decisions\"}")).isZero();
        notDegraded();
    }

    private void notDegraded() {
        given().get("/q/health/group/database").then().statusCode(200);
        given().get("/api/v1/environments/development/timeouts").then().statusCode(200)
                .body("degraded", equalTo(false));
    }

    private int stored() throws Exception {
        return Outages.count("SELECT count(*) FROM attempts WHERE service = ?", service);
    }

    /** {@code good} attempts of this test's service with one poisoned one in the middle. */
    private List<String> batch(int good) {
        List<String> attempts = new ArrayList<>();
        for (int i = 0; i < good; i++) {
            attempts.add(attempt(service));
        }
        attempts.add(attempts.size() / 2, attempt(poison));
        return attempts;
    }

    private static String attempt(String service) {
        return "{\"environment\": \"development\", \"operation\": \"pool\", \"duration_seconds\": 0.1,"
                + " \"success\": true, \"service\": \"" + service + "\"}";
    }

    private static io.restassured.response.Response post(List<String> attempts) {
        return given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON)
                .body("[" + String.join(",", attempts) + "]").post("/api/v1/attempts");
    }

    private static io.restassured.response.Response decide(String deployment) {
        return given().header("X-API-Key", TestApi.DEPLOYER_KEY).contentType(ContentType.JSON)
                .body("{\"environment\": \"development\", \"critical_failures\": 0, \"deployment\": \"" + deployment
                        + "\"}").post("/api/v1/bypass-decisions");
    }

    private static void execute(String sql) throws Exception {
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
