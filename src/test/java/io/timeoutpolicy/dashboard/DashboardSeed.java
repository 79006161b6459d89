package io.timeoutpolicy.dashboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.timeoutpolicy.TestApi;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A history for staging that fills every panel: connection attempts spread over the last day (some slow,
 * some over the 20 s they were given, some failed, the newest successful so the circuit is closed), the
 * alerts they raise, and bypass decisions of two services.
 */
final class DashboardSeed {

    static final int CHECKOUT_DECISIONS = 25;
    private static final int ATTEMPTS = 96;

    private DashboardSeed() {
    }

    static void staging() {
        awaitHistoryLoaded();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<String> attempts = new ArrayList<>();
        for (int i = ATTEMPTS; i >= 1; i--) {
            double duration = 6.0 + (i % 7) * 2.75 + (i < 12 ? 4.0 : 0.0);
            boolean success = i % 11 != 0;
            attempts.add(String.format(Locale.ROOT, "{\"environment\": \"staging\", \"operation\": \"connection\","
                            + " \"duration_seconds\": %.2f, \"success\": %s, \"timeout_seconds\": 20.0,"
                            + " \"service\": \"checkout\", \"occurred_at\": \"%s\"}", duration, success,
                    now.minus(Duration.ofMinutes(14L * i))));
        }
        given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON)
                .body("[" + String.join(",", attempts) + "]").post("/api/v1/attempts")
                .then().statusCode(201);
        for (int i = 1; i <= CHECKOUT_DECISIONS; i++) {
            decision("checkout", "checkout-1.0." + i, i % 4);
        }
    }

    /** Asks for a bypass decision for staging and answers its id. */
    static String decision(String service, String deployment, int criticalFailures) {
        String id = given().header("X-API-Key", TestApi.DEPLOYER_KEY).contentType(ContentType.JSON)
                .body(String.format(Locale.ROOT, "{\"environment\": \"staging\", \"critical_failures\": %d,"
                        + " \"failure_types\": [\"database_timeout\"], \"service\": \"%s\", \"deployment\": \"%s\","
                        + " \"requested_by\": \"pipeline\"}", criticalFailures, service, deployment))
                .post("/api/v1/bypass-decisions").then().statusCode(201).extract().path("id");
        assertThat(id).isNotBlank();
        return id;
    }

    /** A fresh database: the first catch-up must be done before history answers are compared. */
    private static void awaitHistoryLoaded() {
        Instant deadline = Instant.now().plusSeconds(30);
        while (given().get("/api/v1/environments/staging/metrics").statusCode() != 200) {
            assertThat(Instant.now()).as("staging's history to be loaded").isBefore(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
