package io.timeoutpolicy;

import static io.timeoutpolicy.TestApi.asOperator;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Fresh environments and attempts for integration tests, so that no test depends on what another one
 * recorded: each test creates its own environment over the real API.
 */
public final class TestEnvironments {

    /** The staging base timeouts (SPEC 3), for Cloud SQL environments that behave like staging. */
    public static final String STAGING_BASES = "{\"initialization_timeout\": 95.0, \"table_setup_timeout\": 35.0,"
            + " \"connection_timeout\": 75.0, \"pool_timeout\": 60.0, \"health_check_timeout\": 30.0}";
    /** The development base timeouts (SPEC 3). */
    public static final String DEVELOPMENT_BASES = "{\"initialization_timeout\": 30.0, \"table_setup_timeout\": 15.0,"
            + " \"connection_timeout\": 20.0, \"pool_timeout\": 30.0, \"health_check_timeout\": 10.0}";

    private TestEnvironments() {
    }

    /** Creates an environment like staging (Cloud SQL) and answers its name. */
    public static String stagingLike() {
        return create(true, STAGING_BASES, "");
    }

    /** Creates an environment like development (not Cloud SQL) and answers its name. */
    public static String developmentLike() {
        return create(false, DEVELOPMENT_BASES, "");
    }

    /** Creates an environment; {@code extraGroups} is more JSON members, e.g. {@code , "adaptive": {...}}. */
    public static String create(boolean cloudSql, String baseTimeouts, String extraGroups) {
        String environment = "t-" + UUID.randomUUID().toString().substring(0, 8);
        asOperator().contentType(ContentType.JSON)
                .body("{\"cloud_sql\": " + cloudSql + ", \"base_timeouts\": " + baseTimeouts + extraGroups + "}")
                .put("/api/v1/environments/" + environment + "/policy")
                .then().statusCode(201);
        return environment;
    }

    /** One connection attempt as JSON. */
    public static String attempt(String environment, double duration, boolean success) {
        return attempt(environment, "connection", duration, success, null);
    }

    public static String attempt(String environment, String operation, double duration, boolean success,
            Instant occurredAt) {
        return String.format(Locale.ROOT, "{\"environment\": \"%s\", \"operation\": \"%s\", \"duration_seconds\": %s,"
                        + " \"success\": %s%s}", environment, operation, Double.toString(duration), success,
                occurredAt == null ? "" : ", \"occurred_at\": \"" + occurredAt + "\"");
    }

    /** Posts attempts (as the reporter) and checks they were all recorded. */
    public static void record(List<String> attempts) {
        for (int from = 0; from < attempts.size(); from += 1000) {
            List<String> batch = attempts.subList(from, Math.min(attempts.size(), from + 1000));
            RestAssured.given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON)
                    .body("[" + String.join(",", batch) + "]")
                    .post("/api/v1/attempts")
                    .then().statusCode(201);
        }
    }

    /** {@code count} connection attempts of the same duration and outcome. */
    public static List<String> repeated(String environment, int count, double duration, boolean success) {
        List<String> attempts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            attempts.add(attempt(environment, duration, success));
        }
        return attempts;
    }
}
