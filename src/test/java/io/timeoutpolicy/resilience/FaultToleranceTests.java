package io.timeoutpolicy.resilience;

import static io.restassured.RestAssured.given;
import static io.timeoutpolicy.TestEnvironments.attempt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.logging.Log;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.timeoutpolicy.TestApi;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The golden rule (SPEC 1, 7) with the database really cut or slowed by a TCP proxy: nothing that a
 * backend needs at start-up fails, every acknowledged attempt is stored after recovery, and readiness
 * follows the database by itself.
 */
@QuarkusTest
@TestProfile(FaultProfile.class)
class FaultToleranceTests {

    private static final Duration MARGIN = Duration.ofMillis(700);

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    @BeforeEach
    void healthyDatabase() {
        Outages.healthy();
        awaitDegraded(false, Duration.ofSeconds(20));
    }

    @AfterEach
    void restore() {
        FaultProxyResource.proxy.pass();
    }

    @Test
    void an_outage_never_fails_timeouts_and_every_acknowledged_attempt_is_stored_after_it() throws Exception {
        String environment = "test";
        String service = "outage-" + UUID.randomUUID();
        FaultProxyResource.proxy.cut();

        long slowest = 0;
        int acknowledged = 0;
        for (int i = 0; i < 20; i++) {
            slowest = Math.max(slowest, timed(() -> given().get("/api/v1/environments/staging/timeouts").then()
                    .statusCode(200).body("timeouts.connection_timeout", equalTo(90.0)).extract().response()));
            slowest = Math.max(slowest, timed(() -> given().get("/api/v1/environments/production/startup-config")
                    .then().statusCode(200).extract().response()));
            Response posted = given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON)
                    .body("[" + withService(attempt(environment, "pool", 0.5, true, null), service) + ","
                            + withService(attempt(environment, "pool", 0.7, true, null), service) + "]")
                    .post("/api/v1/attempts");
            assertThat(posted.statusCode()).as("accepted for the database while it is cut").isEqualTo(202);
            acknowledged += 2;
        }
        given().get("/api/v1/environments/staging/timeouts").then().body("degraded", equalTo(true));
        // SPEC 7: every replica shares the database, so its outage must not take them all out of the balancer.
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/group/database").then().statusCode(503)
                .body("checks.find { it.name == 'database' }.data.reason", org.hamcrest.Matchers.notNullValue());
        Response decision = given().header("X-API-Key", TestApi.DEPLOYER_KEY).contentType(ContentType.JSON)
                .body("{\"environment\": \"staging\", \"critical_failures\": 2, \"deployment\": \"" + service + "\"}")
                .post("/api/v1/bypass-decisions");
        decision.then().statusCode(201)
                .body("degraded", equalTo(true))
                .body("rule", equalTo("basic"))
                .body("bypass", equalTo(true))
                .body("analysis", org.hamcrest.Matchers.nullValue());
        Log.infof("During the outage the slowest timeouts/startup-config answer took %d ms", slowest);
        assertThat(Duration.ofMillis(slowest)).isLessThan(MARGIN);

        FaultProxyResource.proxy.pass();
        Outages.awaitStatus("/q/health/group/database", 200, Duration.ofSeconds(20));
        awaitDegraded(false, Duration.ofSeconds(20));
        Outages.awaitCount("SELECT count(*) FROM attempts WHERE service = ?", service, acknowledged,
                Duration.ofSeconds(20));
        assertThat(Outages.count("SELECT count(DISTINCT id) FROM attempts WHERE service = ?", service))
                .isEqualTo(acknowledged);
        Outages.awaitCount("SELECT count(*) FROM bypass_decisions WHERE deployment = ?", service, 1,
                Duration.ofSeconds(20));
        given().get("/api/v1/bypass-decisions/" + decision.path("id")).then().statusCode(200)
                .body("degraded", equalTo(true));
        Log.infof("Across the outage: %d attempts acknowledged, %d stored", acknowledged,
                Outages.count("SELECT count(*) FROM attempts WHERE service = ?", service));
    }

    @Test
    void a_slow_database_bounds_every_answer_and_timeouts_stay_fast() {
        FaultProxyResource.proxy.slow(1500);
        long timeouts = 0;
        for (int i = 0; i < 10; i++) {
            timeouts = Math.max(timeouts, timed(() -> given().get("/api/v1/environments/staging/timeouts").then()
                    .statusCode(200).extract().response()));
        }
        long policy = timed(() -> given().get("/api/v1/environments/staging/policy").then().statusCode(200)
                .body("environment", equalTo("staging")).extract().response());
        long posted = timed(() -> {
            Response r = given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON)
                    .body(attempt("test", "pool", 0.1, true, null)).post("/api/v1/attempts");
            assertThat(r.statusCode()).as("the write times out at 600 ms: held for the database").isEqualTo(202);
            return r;
        });
        long ready = timed(() -> given().get("/q/health/group/database"));
        Log.infof("Slow database: timeouts %d ms, policy %d ms, attempts %d ms, readiness %d ms",
                timeouts, policy, posted, ready);
        assertThat(Duration.ofMillis(timeouts)).isLessThan(Duration.ofMillis(200));
        // one try and one retry of 400 ms, 100 ms apart, then the answer from memory
        assertThat(Duration.ofMillis(policy)).isLessThan(Duration.ofMillis(900).plus(MARGIN));
        assertThat(Duration.ofMillis(posted)).isLessThan(Duration.ofMillis(600).plus(MARGIN));
        assertThat(Duration.ofMillis(ready)).isLessThan(Duration.ofMillis(300).plus(MARGIN));
    }

    private static String withService(String attemptJson, String service) {
        return attemptJson.substring(0, attemptJson.length() - 1) + ", \"service\": \"" + service + "\"}";
    }

    private static long timed(Supplier<Response> call) {
        long start = System.nanoTime();
        call.get();
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    private static void awaitDegraded(boolean degraded, Duration within) {
        Instant deadline = Instant.now().plus(within);
        while (!Boolean.valueOf(degraded).equals(given().get("/api/v1/environments/test/timeouts")
                .path("degraded"))) {
            assertThat(Instant.now()).as("degraded to become " + degraded).isBefore(deadline);
            Outages.pause();
        }
    }
}
