package io.timeoutpolicy.alerts;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestEnvironments;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The alert stream behind proxies: headers that keep them from buffering or caching it, and a client that
 * reconnects with Last-Event-ID (as EventSource does) gets the stored alerts it missed before the live ones.
 */
@QuarkusTest
class AlertStreamResumptionTests {

    @TestHTTPResource("/api/v1/alerts/stream")
    URI stream;

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    @Test
    void the_stream_tells_proxies_not_to_buffer_or_cache_it() throws Exception {
        try (Events events = Events.open(URI.create(stream + "?environment=" + TestEnvironments.developmentLike()), null)) {
            assertThat(events.response.statusCode()).isEqualTo(200);
            assertThat(events.response.headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(events.response.headers().firstValue("X-Accel-Buffering")).hasValue("no");
            assertThat(events.response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        }
    }

    @Test
    void a_client_that_reconnects_with_last_event_id_gets_what_it_missed_then_live_alerts_once() throws Exception {
        String environment = TestEnvironments.developmentLike();
        URI only = URI.create(stream + "?environment=" + environment);
        String first;
        try (Events events = Events.open(only, null)) {
            post(TestEnvironments.attempt(environment, 19.9, false));
            first = events.nextId(Duration.ofSeconds(5));
        }
        assertThat(first).endsWith("/1");
        String alert = first.substring(0, first.indexOf('/'));

        // While the client is away: a repeat of its alert, and a new alert of another operation.
        post(TestEnvironments.attempt(environment, 19.9, false));
        post("{\"environment\": \"" + environment + "\", \"operation\": \"pool\", \"duration_seconds\": 500,"
                + " \"success\": false}");

        String last;
        try (Events events = Events.open(only, first)) {
            String repeat = events.nextId(Duration.ofSeconds(5));
            String other = events.nextId(Duration.ofSeconds(5));
            assertThat(repeat).as("the repeat it missed, first: it was last seen first").isEqualTo(alert + "/2");
            assertThat(other).endsWith("/1").doesNotStartWith(alert);
            assertThat(events.pollId(Duration.ofMillis(1500))).as("nothing else was missed").isNull();
            post(TestEnvironments.attempt(environment, 19.9, false));
            last = events.nextId(Duration.ofSeconds(5));
            assertThat(last).as("then live").isEqualTo(alert + "/3");
        }

        try (Events events = Events.open(only, last)) {
            assertThat(events.pollId(Duration.ofMillis(1500))).as("nothing missed since " + last).isNull();
        }
        try (Events events = Events.open(only, "6f1c2b7a-55c4-4a3e-9f1e-0c1d2e3f4a5b/1")) {
            assertThat(events.pollId(Duration.ofMillis(1500))).as("an id the stored alerts do not hold").isNull();
            post(TestEnvironments.attempt(environment, 19.9, false));
            assertThat(events.nextId(Duration.ofSeconds(5))).isEqualTo(alert + "/4");
        }
    }

    private static void post(String body) {
        given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON).body(body)
                .post("/api/v1/attempts").then().statusCode(201);
    }

    /** A stream client that reads the ids of alert events as they arrive. */
    private static final class Events implements AutoCloseable {

        final HttpResponse<Stream<String>> response;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        private Events(HttpResponse<Stream<String>> response) {
            this.response = response;
            Thread reader = new Thread(() -> {
                try {
                    response.body().forEach(lines::add);
                } catch (java.io.UncheckedIOException closed) {
                    // closed by the test
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        static Events open(URI uri, String lastEventId) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            return new Events(HttpClient.newHttpClient().sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
                    .get(10, TimeUnit.SECONDS));
        }

        String nextId(Duration within) throws InterruptedException {
            String id = pollId(within);
            assertThat(id).as("an alert event within " + within).isNotNull();
            return id;
        }

        /** The id of the next alert event within {@code within}, or null. */
        String pollId(Duration within) throws InterruptedException {
            Instant deadline = Instant.now().plus(within);
            List<String> event = new ArrayList<>();
            while (true) {
                long left = Duration.between(Instant.now(), deadline).toMillis();
                String line = left <= 0 ? null : lines.poll(left, TimeUnit.MILLISECONDS);
                if (line == null) {
                    return null;
                }
                if (!line.isEmpty()) {
                    event.add(line);
                    continue;
                }
                if (event.contains("event:alert")) {
                    return event.stream().filter(l -> l.startsWith("id:")).map(l -> l.substring(3).trim())
                            .findFirst().orElse(null);
                }
                event.clear();
            }
        }

        @Override
        public void close() {
            response.body().close();
        }
    }
}
