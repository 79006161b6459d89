package io.timeoutpolicy.circuit;

import static io.restassured.RestAssured.given;
import static io.timeoutpolicy.TestEnvironments.record;
import static io.timeoutpolicy.TestEnvironments.repeated;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.timeoutpolicy.MovableClock;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestEnvironments;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The circuit's reset timeout (SPEC 4.6) with the service's clock moved, not slept through. */
@QuarkusTest
@TestProfile(MovedClockTests.WithMovableClock.class)
class MovedClockTests {

    public static class WithMovableClock implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(MovableClock.class);
        }
    }

    @Inject
    MovableClock clock;

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    @Test
    void an_open_circuit_half_opens_once_the_reset_timeout_has_passed_since_the_last_failure() {
        String environment = TestEnvironments.stagingLike();
        record(repeated(environment, 5, 2.0, false));
        given().get("/api/v1/environments/" + environment + "/circuit").then()
                .body("state", equalTo("open"))
                .body("retry_after_seconds", closeTo(60.0, 2.0));

        clock.advance(Duration.ofSeconds(45));
        given().get("/api/v1/environments/" + environment + "/circuit").then()
                .body("state", equalTo("open"))
                .body("retry_after_seconds", closeTo(15.0, 2.0));

        clock.advance(Duration.ofSeconds(16));
        given().get("/api/v1/environments/" + environment + "/circuit").then()
                .body("state", equalTo("half_open"))
                .body("consecutive_failures", equalTo(5))
                .body("retry_after_seconds", nullValue());
    }
}
