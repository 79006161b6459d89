package io.timeoutpolicy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A real HTTP client of the alert stream (SSE): its lines as they arrive, and the events in them. */
public final class TestStreams implements AutoCloseable {

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;

    private TestStreams(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = new Thread(() -> {
            try {
                response.body().forEach(lines::add);
            } catch (java.io.UncheckedIOException cut) {
                lines.add(": cut " + cut.getMessage());
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code stream} (e.g. {@code …/api/v1/alerts/stream?environment=x}) and starts reading it. */
    public static TestStreams open(URI stream) throws Exception {
        return new TestStreams(HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(stream)
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines())
                .get(10, TimeUnit.SECONDS));
    }

    public HttpResponse<Stream<String>> response() {
        return response;
    }

    /** Whether the server ended the stream within {@code within} (an ended stream has been read to its end). */
    public boolean ends(Duration within) throws InterruptedException {
        reader.join(Math.max(1, within.toMillis()));
        return !reader.isAlive();
    }

    /** The data of the next event named {@code name}; fails when none comes within {@code within}. */
    public String next(String name, Duration within) throws InterruptedException {
        String data = poll(name, within);
        assertThat(data).as("an '" + name + "' event within " + within).isNotNull();
        return data;
    }

    /** The data of the next event named {@code name} within {@code within}, or null. */
    public String poll(String name, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        String event = null;
        while (true) {
            long left = Duration.between(Instant.now(), deadline).toMillis();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.MILLISECONDS);
            if (line == null) {
                return null;
            }
            if (line.startsWith("event:")) {
                event = line.substring(6).trim();
            } else if (line.startsWith("data:") && name.equals(event)) {
                return line.substring(5).trim();
            }
        }
    }

    /**
     * What another replica's {@code FleetAlerts} sends when it raises an alert of {@code environment}
     * (critical, occurrences 3), straight into PostgreSQL on the channel every replica listens on.
     */
    public static void announceAsAnotherReplica(String environment) throws Exception {
        String payload = "{\"origin\": \"another-replica\", \"alert\": {\"id\": \"" + UUID.randomUUID()
                + "\", \"environment\": \"" + environment + "\", \"operation\": \"connection\", \"level\":"
                + " \"critical\", \"type\": \"connection_time\", \"message\": \"connection took 19.9s\","
                + " \"value\": 19.9, \"threshold\": 19.0, \"first_seen\": \"2026-12-02T00:00:00Z\","
                + " \"last_seen\": \"2026-12-02T00:01:00Z\", \"occurrences\": 3}}";
        try (Connection connection = TestDatabase.connect();
                PreparedStatement statement = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            statement.setString(1, "timeout_policy_alerts");
            statement.setString(2, payload);
            statement.execute();
        }
    }

    @Override
    public void close() {
        response.body().close();
    }
}
