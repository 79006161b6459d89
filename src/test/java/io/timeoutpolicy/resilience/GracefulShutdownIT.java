package io.timeoutpolicy.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.logging.Log;
import io.timeoutpolicy.PackagedJar;
import io.timeoutpolicy.TestDatabase;
import io.timeoutpolicy.TestStreams;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to the packaged service while clients post attempts. Readiness goes DOWN at once and the alert stream
 * ends, while requests are still served for the shutdown delay; then new requests are refused with 503; a request that was in flight
 * when the delay ended (its body still arriving) is answered 201; every attempt answered 201 or 202 is in
 * PostgreSQL once the process has exited, and none of a request that got no answer (a cut request) is.
 */
class GracefulShutdownIT {

    private static final String REPORTER_KEY = "test-reporter-key";
    private static final int CLIENTS = 4;
    private static final String DATABASE = "timeout_policy_shutdown_it";
    private static final Duration DELAY = Duration.ofSeconds(2);

    private final String service = "shutdown-" + UUID.randomUUID();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final Set<String> unanswered = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    private final AtomicInteger servedWhileLeaving = new AtomicInteger();
    private volatile boolean leaving;

    @Test
    void sigterm_while_clients_post_loses_no_answered_attempt_and_cuts_no_request() throws Exception {
        TestDatabase.recreate(DATABASE);
        List<String> properties = new ArrayList<>(PackagedJar.localDatabase(DATABASE));
        properties.addAll(List.of("-Dtimeout-policy.security.keys.reporter.sha256=" + PackagedJar.sha256(REPORTER_KEY),
                "-Dtimeout-policy.security.keys.reporter.roles=reporter", "-Dquarkus.shutdown.delay=" + DELAY,
                "-Dquarkus.shutdown.timeout=20s"));
        try (PackagedJar jar = PackagedJar.start("graceful-shutdown", properties)) {
            shutDownUnderLoad(jar);
        }
    }

    private void shutDownUnderLoad(PackagedJar jar) throws Exception {
        jar.await("/q/health/ready", r -> r.statusCode() == 200, Duration.ofSeconds(30));
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS + 1);
        for (int c = 0; c < CLIENTS; c++) {
            clients.submit(() -> post(jar));
        }
        Thread.sleep(2_000);

        TestStreams stream = TestStreams.open(URI.create(jar.url("/api/v1/alerts/stream")));
        CompletableFuture<Process> exit = jar.terminate();
        jar.await("/q/health/ready", r -> r.statusCode() == 503, Duration.ofSeconds(1));
        assertThat(stream.ends(DELAY)).as("the alert stream ended by the server during the delay").isTrue();
        leaving = true;
        List<String> slowIds = new ArrayList<>();
        var slow = clients.submit(() -> postSlowly(jar, Outages.batch(service, 20, slowIds)));
        Process process = exit.get(60, TimeUnit.SECONDS);
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        Log.infof("Shutdown under load: %s; %d attempts acknowledged, %d requests served after readiness went"
                + " DOWN, exit %d", outcomes, acknowledged.size(), servedWhileLeaving.get(), process.exitValue());
        assertThat(servedWhileLeaving.get()).as("requests served during the shutdown delay").isPositive();
        assertThat(outcomes).as("new requests refused once the delay is over").containsKey("503");
        assertThat(slow.get()).as("a request in flight when the delay ended").startsWith("HTTP/1.1 201");
        assertThat(stored(slowIds)).isEqualTo(slowIds.size());
        assertThat(stored(acknowledged)).as("acknowledged attempts in PostgreSQL").isEqualTo(acknowledged.size());
        assertThat(stored(unanswered)).as("attempts of requests that got no answer but were stored").isZero();
        assertThat(jar.log()).doesNotContain("not written").doesNotContain("ERROR");
    }

    private void post(PackagedJar jar) {
        while (true) {
            List<String> ids = new ArrayList<>();
            String body = Outages.batch(service, 20, ids);
            try {
                HttpResponse<String> response = jar.post("/api/v1/attempts", REPORTER_KEY, body);
                count(String.valueOf(response.statusCode()));
                if (response.statusCode() == 201 || response.statusCode() == 202) {
                    acknowledged.addAll(ids);
                    servedWhileLeaving.addAndGet(leaving ? 1 : 0);
                } else {
                    assertThat(response.body()).contains("urn:timeout-policy:problem:shutting-down");
                }
            } catch (ConnectException refused) {
                count("refused");
                return;
            } catch (Exception e) {
                count(e.getClass().getSimpleName());
                unanswered.addAll(ids);
            }
        }
    }

    /**
     * Sends the head and half the body during the delay, the rest a second after it: the request is in flight
     * when new requests start to be refused, so the drain must wait for it. Answers the status line.
     */
    private static String postSlowly(PackagedJar jar, String body) throws Exception {
        URI uri = URI.create(jar.url("/api/v1/attempts"));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getAuthority()
                    + "\r\nContent-Type: application/json\r\nX-API-Key: " + REPORTER_KEY
                    + "\r\nContent-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes, 0, bytes.length / 2);
            out.flush();
            Thread.sleep(DELAY.toMillis() + 1_000);
            out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
            out.flush();
            return new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
        }
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(outcome, s -> new AtomicInteger()).incrementAndGet();
    }

    private int stored(Iterable<String> ids) throws Exception {
        List<String> list = new ArrayList<>();
        ids.forEach(list::add);
        try (Connection connection = TestDatabase.connectTo(DATABASE);
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT count(DISTINCT id) FROM attempts WHERE service = ? AND id::text = ANY(?)")) {
            Array array = connection.createArrayOf("text", list.toArray());
            statement.setString(1, service);
            statement.setArray(2, array);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
