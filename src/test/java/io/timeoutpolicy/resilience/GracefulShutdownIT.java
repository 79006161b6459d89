package io.timeoutpolicy.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.logging.Log;
import io.timeoutpolicy.PackagedJar;
import io.timeoutpolicy.TestDatabase;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to the packaged service while clients post attempts: readiness goes DOWN first, requests in flight
 * are answered, and every attempt answered 201 or 202 is in PostgreSQL once the process has exited. A request
 * whose attempts were stored but whose answer never came would be a cut request: there is none.
 */
@Disabled("Issue 13 item 4, open: with quarkus.shutdown.delay-enabled=true, delay=2s, timeout=20s the process"
        + " stopped 2.1 s after SIGTERM without waiting for requests in flight; 4 of 440 requests had their"
        + " attempts stored but got no answer, and the pool closed under a group commit ('Connection is not"
        + " active now'). Enable it with the drain fixed.")
class GracefulShutdownIT {

    private static final String REPORTER_KEY = "test-reporter-key";
    private static final String REPORTER_SHA256 = "ef7c942d2b0465b80ddd221cf69c2a99f3ba5f92a01b757e8671356d5917680d";
    private static final int CLIENTS = 4;

    @Test
    void sigterm_while_clients_post_loses_no_answered_attempt_and_cuts_no_request() throws Exception {
        String service = "shutdown-" + UUID.randomUUID();
        List<String> properties = new ArrayList<>(PackagedJar.database(FaultProxyResource.env("DB_HOST", "127.0.0.1"),
                Integer.parseInt(FaultProxyResource.env("DB_PORT", "5432")),
                FaultProxyResource.env("TEST_DB_NAME", "timeout_policy_test")));
        properties.addAll(List.of("-Dtimeout-policy.security.keys.reporter.sha256=" + REPORTER_SHA256,
                "-Dtimeout-policy.security.keys.reporter.roles=reporter", "-Dquarkus.shutdown.delay=2s"));
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> unanswered = ConcurrentHashMap.newKeySet();
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        try (PackagedJar jar = PackagedJar.start("graceful-shutdown", properties)) {
            shutDownUnderLoad(jar, service, acknowledged, unanswered, outcomes);
        }
    }

    private static void shutDownUnderLoad(PackagedJar jar, String service, Set<String> acknowledged,
            Set<String> unanswered, Map<String, AtomicInteger> outcomes) throws Exception {
        jar.await("/q/health/ready", r -> r.statusCode() == 200, Duration.ofSeconds(30));
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            clients.submit(() -> post(jar, service, acknowledged, unanswered, outcomes));
        }
        Thread.sleep(2_000);

        var exit = jar.terminate();
        HttpResponse<String> ready = jar.get("/q/health/ready");
        assertThat(ready.statusCode()).as("readiness DOWN while the load balancer lets go").isEqualTo(503);
        Process process = exit.get(60, TimeUnit.SECONDS);
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        Log.infof("Shutdown under load: %s; %d attempts acknowledged, exit %d", outcomes, acknowledged.size(),
                process.exitValue());
        assertThat(acknowledged).isNotEmpty();
        assertThat(stored(service, acknowledged)).as("acknowledged attempts in PostgreSQL").isEqualTo(
                acknowledged.size());
        assertThat(stored(service, unanswered)).as("attempts of requests that got no answer but were stored")
                .isZero();
        assertThat(jar.log()).doesNotContain("not written");
    }

    private static void post(PackagedJar jar, String service, Set<String> acknowledged, Set<String> unanswered,
            Map<String, AtomicInteger> outcomes) {
        while (true) {
            List<String> ids = new ArrayList<>();
            String body = Outages.batch(service, 20, ids);
            try {
                int status = jar.post("/api/v1/attempts", REPORTER_KEY, body).statusCode();
                outcomes.computeIfAbsent(String.valueOf(status), s -> new AtomicInteger()).incrementAndGet();
                if (status == 201 || status == 202) {
                    acknowledged.addAll(ids);
                }
            } catch (ConnectException refused) {
                outcomes.computeIfAbsent("refused", s -> new AtomicInteger()).incrementAndGet();
                return;
            } catch (Exception e) {
                outcomes.computeIfAbsent(e.getClass().getSimpleName(), s -> new AtomicInteger()).incrementAndGet();
                unanswered.addAll(ids);
            }
        }
    }

    private static int stored(String service, Set<String> ids) throws Exception {
        try (Connection connection = TestDatabase.connect();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT count(DISTINCT id) FROM attempts WHERE service = ? AND id::text = ANY(?)")) {
            Array array = connection.createArrayOf("text", ids.toArray());
            statement.setString(1, service);
            statement.setArray(2, array);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
