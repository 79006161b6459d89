package io.timeoutpolicy.platform.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.timeoutpolicy.PackagedJar;
import io.timeoutpolicy.TestDatabase;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An empty chunked body ({@code 0\r\n\r\n}) once got no answer at all and held every graceful shutdown for the whole
 * {@code quarkus.shutdown.timeout} (20 s). Against the packaged jar: each of the three endpoints answers it at once
 * with a 400 problem, and a SIGTERM with those connections still open ends the process within the shutdown delay.
 */
class EmptyChunkedShutdownIT {

    private static final String KEY = "empty-chunked-it-key";

    @Test
    void empty_chunked_bodies_are_answered_at_once_and_do_not_hold_the_shutdown() throws Exception {
        String database = TestDatabase.name() + "_chunked";
        TestDatabase.recreate(database);
        List<String> properties = new ArrayList<>(PackagedJar.localDatabase(database));
        properties.addAll(List.of("-Dquarkus.shutdown.delay=1s",
                "-Dtimeout-policy.security.keys.it.sha256=" + PackagedJar.sha256(KEY),
                "-Dtimeout-policy.security.keys.it.roles=reporter,deployer"));
        List<Socket> open = new ArrayList<>();
        try (PackagedJar jar = PackagedJar.start("empty-chunked", properties)) {
            jar.await("/q/health/ready", r -> r.statusCode() == 200, Duration.ofSeconds(60));
            URI root = URI.create(jar.url("/"));
            for (String path : List.of("/api/v1/attempts", "/api/v1/bypass-decisions",
                    "/api/v1/environments/development/simulate")) {
                Socket socket = new Socket(root.getHost(), root.getPort());
                open.add(socket);
                socket.setSoTimeout(5_000);
                OutputStream out = socket.getOutputStream();
                long start = System.nanoTime();
                out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + KEY + "\r\n"
                        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String head = readHead(socket.getInputStream());
                System.out.printf("%s: %s in %d ms%n", path, head.lines().findFirst().orElse(""),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                assertThat(head).startsWith("HTTP/1.1 400").containsIgnoringCase("content-type: application/problem+json");
            }

            long stopping = System.nanoTime();
            Process stopped = jar.terminate().get(30, TimeUnit.SECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping);
            System.out.printf("graceful shutdown with three such connections open: %d ms (exit %d)%n", millis,
                    stopped.exitValue());
            assertThat(millis).as("the shutdown does not wait out quarkus.shutdown.timeout (20 s)").isLessThan(10_000);
        } finally {
            for (Socket socket : open) {
                socket.close();
            }
        }
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().contains("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        return head.toString();
    }
}
