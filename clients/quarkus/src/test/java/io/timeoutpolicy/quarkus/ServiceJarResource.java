package io.timeoutpolicy.quarkus;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service jar on a fresh database of its own ({@code <TEST_DB_NAME>_quarkus}), an environment made
 * for the test (connection_timeout 2.2 s, pool_timeout 4 s, health_check_timeout 1.5 s, pool 3 + 2, recycle
 * 600 s), and the settings the application reads as {@code timeout-policy.*}.
 */
public class ServiceJarResource implements QuarkusTestResourceLifecycleManager {

    static final String KEY = "quarkus-integration-tests-key";
    static final String SERVICE = "quarkus-app";
    static final String DATABASE = (System.getenv("TEST_DB_NAME") == null || System.getenv("TEST_DB_NAME").isBlank()
            ? "timeout_policy" : System.getenv("TEST_DB_NAME")) + "_quarkus";
    static String environment;
    static String url;
    private Process process;

    @Override
    public Map<String, String> start() {
        try {
            File jar = new File(System.getProperty("service.jar", "../../target/quarkus-app/quarkus-run.jar"));
            if (!jar.isFile()) {
                throw new IllegalStateException("the packaged service " + jar + " is missing: ./mvnw -B package -DskipTests");
            }
            psql("postgres", "DROP DATABASE IF EXISTS \"" + DATABASE + "\" WITH (FORCE)");
            psql("postgres", "CREATE DATABASE \"" + DATABASE + "\"");
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            String db = "//127.0.0.1:5432/" + DATABASE;
            Path log = Files.createTempFile("timeout-policy-quarkus-it-", ".log");
            process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dquarkus.http.port=" + port, "-Dquarkus.datasource.reactive.url=postgresql:" + db,
                    "-Dtimeout-policy.database.migration-url=jdbc:postgresql:" + db,
                    // a journal of its own: the jar of another test profile may still be exiting and hold its own
                    "-Dtimeout-policy.journal.dir=" + Files.createTempDirectory("tp-journal-"),
                    "-Dtimeout-policy.security.keys.quarkus-tests.sha256=" + sha256(KEY),
                    "-Dtimeout-policy.security.keys.quarkus-tests.roles=reporter,operator", "-jar", jar.getAbsolutePath())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            url = "http://127.0.0.1:" + port;
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (true) {
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        break;
                    }
                } catch (java.io.IOException notYet) {
                    // starting
                }
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new IllegalStateException("the service jar did not become ready; see " + log);
                }
                Thread.sleep(200);
            }
            environment = "quarkus-" + UUID.randomUUID().toString().substring(0, 8);
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/environments/"
                    + environment + "/policy")).header("Content-Type", "application/json").header("X-API-Key", KEY)
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"cloud_sql\": false, \"base_timeouts\": {"
                            + "\"initialization_timeout\": 25.0, \"table_setup_timeout\": 12.0, \"connection_timeout\": 2.2,"
                            + " \"pool_timeout\": 4.0, \"health_check_timeout\": 1.5}, \"pool\": {\"pool_size\": 3,"
                            + " \"max_overflow\": 2, \"pool_timeout\": 99.0, \"pool_recycle\": 600, \"pool_pre_ping\": true}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                throw new IllegalStateException("PUT policy: " + created.statusCode() + " " + created.body());
            }
            Map<String, String> settings = Map.of("timeout-policy.url", url, "timeout-policy.environment", environment,
                    "timeout-policy.key", KEY, "timeout-policy.service", SERVICE, "timeout-policy.cache-dir",
                    Files.createTempDirectory("tp-cache-").toString());
            settings.forEach(System::setProperty); // visible to the ConfigSourceFactory however Quarkus orders it
            return settings;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The environment's attempts in the service's database: operation|success|failure_type|timeout|service|version. */
    static List<String> history() throws Exception {
        String out = psql(DATABASE, "SELECT operation || '|' || success || '|' || coalesce(failure_type, '-') || '|'"
                + " || timeout_seconds || '|' || coalesce(service, '-') || '|' || coalesce(policy_version::text, '-')"
                + " FROM attempts WHERE environment = '" + environment + "' ORDER BY seq");
        return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
    }

    private static String psql(String database, String statement) throws Exception {
        Process psql = new ProcessBuilder("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-Atqc", statement)
                .redirectErrorStream(true).start();
        String output = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (psql.waitFor() != 0) {
            throw new IllegalStateException("psql " + statement + ": " + output);
        }
        return output;
    }

    private static String sha256(String key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }
}
