package io.timeoutpolicy.platform.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.timeoutpolicy.PeerTools;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestEnvironments;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests over the limits are answered with problem documents like every other error: a chunked body over
 * {@code max-body-size} (no length to check up front) as a sized one, and an over-long URL; and nothing of
 * them is written. Sent over a plain socket, so that the body really is chunked.
 */
@QuarkusTest
class RequestLimitsTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI root;

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    @Test
    void a_chunked_body_over_the_limit_is_a_413_problem_and_records_nothing() throws Exception {
        String environment = TestEnvironments.developmentLike();
        // About 1.3 MB of valid attempts: over the 1 MB limit, sent in 8 KB chunks.
        List<String> attempts = new ArrayList<>();
        for (int i = 0; i < 12_000; i++) {
            attempts.add(TestEnvironments.attempt(environment, 1.5, true));
        }
        Answer answer = chunked("/api/v1/attempts", "[" + String.join(",", attempts) + "]");

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.header("content-type")).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.get("type").asText()).isEqualTo("urn:timeout-policy:problem:body-too-large");
        assertThat(problem.get("status").asInt()).isEqualTo(413);
        assertThat(problem.get("detail").asText()).isEqualTo("The body is longer than the limit of 1048576 bytes");
        given().get("/api/v1/environments/" + environment + "/metrics").then().statusCode(200)
                .body("status", equalTo("no_data"));
    }

    @Test
    void a_chunked_body_within_the_limit_is_recorded() throws Exception {
        String environment = TestEnvironments.developmentLike();
        Answer answer = chunked("/api/v1/attempts", "[" + TestEnvironments.attempt(environment, 1.5, true) + ","
                + TestEnvironments.attempt(environment, 2.5, true) + "]");

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(JSON.readTree(answer.body()).get("recorded").asInt()).isEqualTo(2);
    }

    /**
     * curl speaks HTTP/2 without TLS (prior knowledge) and sends no content-length for a chunked body. Such a body is
     * read by the REST layer itself (reading it earlier leaves Vert.x's HTTP/2 request ended, which Quarkus REST
     * cannot take: every such body was a 500), and the REST layer refuses one over the limit by closing the
     * connection: curl sees no answer (000) or a 413, never a 2xx, and nothing is recorded.
     */
    @Test
    void over_http2_a_body_without_a_length_over_the_limit_is_refused_and_records_nothing() throws Exception {
        PeerTools.require("curl", "apt-get install -y curl");
        String environment = TestEnvironments.developmentLike();
        List<String> attempts = new ArrayList<>();
        for (int i = 0; i < 12_000; i++) {
            attempts.add(TestEnvironments.attempt(environment, 1.5, true));
        }
        Path body = Files.writeString(Files.createTempFile("over-limit", ".json"),
                "[" + String.join(",", attempts) + "]");
        Path answer = Files.createTempFile("answer", ".json");
        Process curl = new ProcessBuilder("curl", "-s", "-m", "20", "--http2-prior-knowledge",
                "-H", "Content-Type: application/json", "-H", "X-API-Key: " + TestApi.REPORTER_KEY,
                "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + body, "-o", answer.toString(),
                "-w", "%{http_code}", root.resolve("/api/v1/attempts").toString())
                .redirectErrorStream(true).start();
        String written = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(written).isIn("000", "413");
        given().get("/api/v1/environments/" + environment + "/metrics").then().statusCode(200)
                .body("status", equalTo("no_data"));
    }

    @Test
    void an_over_long_url_is_a_414_problem() throws Exception {
        String path = "/api/v1/environments/staging/timeouts?pressure=" + "x".repeat(5000);
        Answer answer = exchange("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", null);

        assertThat(answer.status()).isEqualTo(414);
        assertThat(answer.header("content-type")).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.get("type").asText()).isEqualTo("urn:timeout-policy:problem:uri-too-long");
        assertThat(problem.get("detail").asText()).contains("4096");
    }

    private Answer chunked(String path, String body) throws Exception {
        String head = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "X-API-Key: " + TestApi.REPORTER_KEY + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        return exchange(head, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the request (the body in 8 KB chunks) while reading the answer, as a client would. */
    private Answer exchange(String head, byte[] body) throws Exception {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> write(out, head, body));
            byte[] raw = readAll(socket.getInputStream());
            writing.exceptionally(refusedMidway -> null).join();
            return Answer.parse(new String(raw, StandardCharsets.UTF_8));
        }
    }

    private static void write(OutputStream out, String head, byte[] body) {
        try {
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                for (int from = 0; from < body.length; from += 8192) {
                    int length = Math.min(8192, body.length - from);
                    out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body, from, length);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        } catch (IOException closedByTheServer) {
            // The server answers and closes as soon as the body passes the limit.
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // A reset after the answer was read.
        }
        return all.toByteArray();
    }

    /** Status, headers and body of an HTTP/1.1 answer (de-chunked when needed). */
    record Answer(int status, List<String> headers, String body) {

        static Answer parse(String raw) {
            int end = raw.indexOf("\r\n\r\n");
            assertThat(end).as("an answer: " + raw).isPositive();
            String[] lines = raw.substring(0, end).split("\r\n");
            List<String> headers = List.of(lines).subList(1, lines.length);
            String body = raw.substring(end + 4);
            if (headers.stream().anyMatch(h -> h.toLowerCase().startsWith("transfer-encoding: chunked"))) {
                body = dechunk(body);
            }
            return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
        }

        String header(String name) {
            return headers.stream().filter(h -> h.toLowerCase().startsWith(name.toLowerCase() + ":"))
                    .map(h -> h.substring(h.indexOf(':') + 1).trim()).findFirst().orElse("");
        }

        private static String dechunk(String chunked) {
            StringBuilder body = new StringBuilder();
            int at = 0;
            while (true) {
                int lineEnd = chunked.indexOf("\r\n", at);
                int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
                if (size == 0) {
                    return body.toString();
                }
                body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
                at = lineEnd + 2 + size + 2;
            }
        }
    }
}
