package io.timeoutpolicy.alerts.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A real Alertmanager, Debian's {@code prometheus-alertmanager}, on a port of its own with no cluster gossip;
 * absent on a developer machine without the package, in which case {@link #start()} answers empty.
 */
final class Alertmanager {

    static final String BINARY = "/usr/bin/prometheus-alertmanager";
    private static final String CONFIG = """
            route:
              receiver: nobody
              group_wait: 1s
            receivers:
              - name: nobody
            """;

    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private Process process;

    Alertmanager(int port) {
        this.port = port;
    }

    static boolean isInstalled() {
        return Files.isExecutable(Path.of(BINARY));
    }

    String alertsUrl() {
        return "http://127.0.0.1:" + port + "/api/v2/alerts";
    }

    Optional<Alertmanager> start() {
        if (!isInstalled()) {
            return Optional.empty();
        }
        try {
            Path home = Files.createTempDirectory("alertmanager");
            Path config = Files.writeString(home.resolve("alertmanager.yml"), CONFIG);
            process = new ProcessBuilder(BINARY, "--config.file=" + config, "--storage.path=" + home.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=")
                    .redirectErrorStream(true).redirectOutput(home.resolve("alertmanager.log").toFile()).start();
            return Optional.of(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void stop() {
        process.destroy();
    }

    boolean isReady() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The alerts Alertmanager lists for an environment (active ones: resolved alerts are not listed). */
    JsonNode alerts(String environment) throws IOException, InterruptedException {
        String filter = URLEncoder.encode("environment=\"" + environment + "\"", StandardCharsets.UTF_8);
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(alertsUrl() + "?filter=" + filter))
                .build(), HttpResponse.BodyHandlers.ofString());
        return mapper.readTree(answer.body());
    }
}
