package io.timeoutpolicy.quarkus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * SPEC 9.3 end to end for Agroal: the Quarkus application, the packaged service, the real PostgreSQL. A shadow
 * candidate changes nothing; its promotion reaches the running pool's acquisition timeout and max size within 2 s,
 * and the physical connects made after it carry the new connect timeout and policy version. Its own profile, so
 * that its own application and environment change nothing QuarkusIntegrationTest reads.
 */
@QuarkusTest
@QuarkusTestResource(ServiceJarResource.class)
@TestProfile(AgroalLiveTest.Live.class)
class AgroalLiveTest {

    public static class Live implements QuarkusTestProfile {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    AgroalDataSource jdbc;

    @Test
    void a_promotion_reaches_the_running_pool_within_two_seconds() throws Exception {
        var pool = jdbc.getConfiguration().connectionPoolConfiguration();
        try (Connection c = jdbc.getConnection()) {
            assertThat(c.isValid(1)).isTrue();
        }
        assertThat(pool.acquisitionTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(pool.maxSize()).isEqualTo(5);

        int candidate = candidate(policy(1.0, 1.0, 1.0));
        Thread.sleep(300); // a shadow candidate is served to nobody: the pool keeps version 1
        assertThat(pool.acquisitionTimeout()).isEqualTo(Duration.ofSeconds(4));

        long sent = System.nanoTime();
        promote(candidate);
        long answered = System.nanoTime();
        long applied = waitFor(() -> pool.acquisitionTimeout().equals(Duration.ofSeconds(1)) && pool.maxSize() == 3,
                Duration.ofSeconds(5));
        System.out.printf("promotion → Agroal's acquisition timeout and max size: %d ms after the promote was sent, %d ms after its"
                + " 200%n", (applied - sent) / 1_000_000, (applied - answered) / 1_000_000);
        assertThat(applied - answered).as("promotion → applied").isLessThan(Duration.ofSeconds(2).toNanos());
        assertThat(pool.maxLifetime()).as("the application's own, and fixed anyway").isEqualTo(Duration.ofMinutes(5));

        // a new physical connect after the change: the new connect timeout, reported with the new version
        jdbc.flush(AgroalDataSource.FlushMode.ALL);
        selectOneOnAFreshConnection();
        assertThat(QuarkusIntegration.current().integration().client().flush(Duration.ofSeconds(10))).isTrue();
        List<String> connects = ServiceJarResource.history().stream().filter(r -> r.startsWith("connection|")).toList();
        System.out.println("connects: " + connects);
        assertThat(connects.get(0)).isEqualTo("connection|true|-|3|quarkus-app|1");
        assertThat(connects.get(connects.size() - 1)).isEqualTo("connection|true|-|1|quarkus-app|" + candidate);
    }

    /** The environment's current document with these base timeouts and pool 2 + 1, without read-only fields. */
    private static String policy(double connection, double poolTimeout, double healthCheck) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode document = (ObjectNode) json.readTree(send(HttpRequest.newBuilder(uri("/policy"))).body());
        document.remove(List.of("environment", "version", "updated_at", "updated_by", "status", "status_reason",
                "status_changed_at", "status_changed_by", "rollout", "score"));
        ((ObjectNode) document.get("base_timeouts")).put("connection_timeout", connection)
                .put("pool_timeout", poolTimeout).put("health_check_timeout", healthCheck);
        ((ObjectNode) document.get("pool")).put("pool_size", 2).put("max_overflow", 1);
        document.putObject("rollout").put("mode", "shadow");
        return json.writeValueAsString(document);
    }

    private static int candidate(String body) throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri("/policy/candidate"))
                .header("Content-Type", "application/json").header("If-Match", "\"1\"")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        return Integer.parseInt(answer.headers().firstValue("ETag").orElseThrow().replaceAll("[^0-9]", ""));
    }

    private static void promote(int candidate) throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri("/policy/candidate/promote"))
                .header("If-Match", "\"" + candidate + "\"").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    private static URI uri(String path) {
        return URI.create(ServiceJarResource.url + "/api/v1/environments/" + ServiceJarResource.environment + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).header("X-API-Key", ServiceJarResource.KEY).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Agroal flushes on its housekeeping thread: until it has, the pool may still hand out the connection being
     * closed, so a closed one is given back and another asked for.
     */
    private void selectOneOnAFreshConnection() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Connection c = jdbc.getConnection()) {
                assertThat(c.createStatement().executeQuery("SELECT 1").next()).isTrue();
                return;
            } catch (SQLException closedByTheFlush) {
                assertThat(System.nanoTime()).as("a working connection after the flush").isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }

    /** Polls {@code condition} every 5 ms; answers the nanoTime it held, fails after {@code timeout}. */
    private static long waitFor(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("in time").isLessThan(deadline);
            Thread.sleep(5);
        }
        return System.nanoTime();
    }
}
