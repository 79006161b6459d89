package io.timeoutpolicy.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** SPEC 9.1 point 4: at most N attempts a second leave the process; bursts wait in the queue. */
class RateCapTest {

    @Test
    void batches_never_exceed_the_cap_and_everything_queued_is_sent() throws Exception {
        List<Integer> batches = new CopyOnWriteArrayList<>();
        ObjectMapper json = new ObjectMapper();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            batches.add(json.readTree(exchange.getRequestBody()).size());
            byte[] body = "{\"recorded\": 1, \"duplicates\": 0, \"violations\": [], \"alerts\": []}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try (TimeoutPolicyClient client = TimeoutPolicyClient.builder()
                .baseUrl("http://127.0.0.1:" + server.getAddress().getPort()).cacheDir(Files.createTempDirectory("c-"))
                .maxReportsPerSecond(40).linger(Duration.ZERO).flushAtShutdown(false).build()) {
            for (int i = 0; i < 100; i++) {
                client.report(Attempt.of("connection", Duration.ofMillis(5), true).inEnvironment("staging"));
            }
            while (client.reportingStats().sent() < 100) {
                Thread.sleep(50);
            }
            assertThat(batches).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(40));
            assertThat(batches.size()).as("paced in batches: " + batches).isGreaterThanOrEqualTo(3);
            assertThat(client.reportingStats().dropped()).isZero();
        } finally {
            server.stop(0);
        }
    }
}
