package io.timeoutpolicy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The packaged service (target/quarkus-app/quarkus-run.jar) as a process of its own, in the production
 * profile, for tests that start, stop and restart it against a database they prepare.
 */
public final class PackagedJar implements AutoCloseable {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Process process;
    private final Path log;
    private final String base;

    private PackagedJar(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.base = "http://127.0.0.1:" + port;
    }

    /**
     * Starts the jar with these system properties ({@code -Dname=value} each) and waits until it is live. Each
     * process gets a journal directory of its own unless the properties name one ({@link #journal}).
     */
    public static PackagedJar start(String name, List<String> properties) throws Exception {
        int port = freePort();
        Path log = Files.createTempFile(name, ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port));
        if (properties.stream().noneMatch(p -> p.startsWith("-Dtimeout-policy.journal.dir="))) {
            command.add(journal(Files.createTempDirectory(name + "-journal")));
        }
        command.addAll(properties);
        command.addAll(List.of("-jar", new File("target/quarkus-app/quarkus-run.jar").getAbsolutePath()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PackagedJar jar = new PackagedJar(process, log, port);
        jar.await("/q/health/live", r -> r.statusCode() == 200, Duration.ofSeconds(30));
        return jar;
    }

    /** The reactive and the migration URL of database {@code name} on the local PostgreSQL (DB_HOST, DB_PORT). */
    public static List<String> localDatabase(String name) {
        String host = System.getenv().getOrDefault("DB_HOST", "127.0.0.1");
        return database(host.isBlank() ? "127.0.0.1" : host,
                Integer.parseInt(System.getenv().getOrDefault("DB_PORT", "5432")), name);
    }

    /** The property that gives a process the journal directory {@code dir} (to restart it on the same one). */
    public static String journal(Path dir) {
        return "-Dtimeout-policy.journal.dir=" + dir.toAbsolutePath();
    }

    /** The hex SHA-256 of an API key: what the service is configured with ({@code ...keys.<name>.sha256}). */
    public static String sha256(String key) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The reactive and the migration URL of a database reached at {@code host:port}. */
    public static List<String> database(String host, int port, String name) {
        String database = "//" + host + ":" + port + "/" + name;
        return List.of("-Dquarkus.datasource.reactive.url=postgresql:" + database,
                "-Dtimeout-policy.database.migration-url=jdbc:postgresql:" + database + "?connectTimeout=1");
    }

    /** The full URL of {@code path} on this process. */
    public String url(String path) {
        return base + path;
    }

    public HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String key, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json").header("X-API-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** PUT with an API key and, unless null, an {@code If-Match} header. */
    public HttpResponse<String> put(String path, String key, String ifMatch, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json").header("X-API-Key", key)
                .PUT(HttpRequest.BodyPublishers.ofString(json));
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls {@code path} until {@code done}; fails the test after {@code within}. */
    public HttpResponse<String> await(String path, Predicate<HttpResponse<String>> done, Duration within)
            throws Exception {
        Instant deadline = Instant.now().plus(within);
        while (true) {
            try {
                HttpResponse<String> response = get(path);
                if (done.test(response)) {
                    return response;
                }
            } catch (java.io.IOException notYet) {
                // the service is still starting
            }
            assertThat(Instant.now()).as("waiting for " + path).isBefore(deadline);
            Thread.sleep(100);
        }
    }

    /** Sends SIGTERM (a graceful shutdown, as Kubernetes does) and answers the process's exit. */
    public java.util.concurrent.CompletableFuture<Process> terminate() {
        process.destroy();
        return process.onExit();
    }

    /** Sends SIGKILL: the process ends at once, as in a crash or an out-of-memory kill; answers its exit. */
    public java.util.concurrent.CompletableFuture<Process> kill() {
        process.destroyForcibly();
        return process.onExit();
    }

    /** What the service logged so far. */
    public String log() throws Exception {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor();
        System.out.println(log().lines().filter(l -> l.contains("WARN") || l.contains("INFO") || l.contains("ERROR"))
                .limit(60).reduce("", (a, b) -> a + b + "\n"));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
