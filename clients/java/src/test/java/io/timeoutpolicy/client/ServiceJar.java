package io.timeoutpolicy.client;

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
import java.util.UUID;

/**
 * The packaged service (system property {@code service.jar}, default ../../target/quarkus-app/quarkus-run.jar),
 * started once per test run on a fresh database of its own ({@code <TEST_DB_NAME>_java_client}, default
 * {@code timeout_policy_java_client_it}, made with psql) and a key with every role; stopped when the test JVM
 * exits.
 */
public final class ServiceJar {

    public static final String KEY = "java-client-tests-key";
    static final String DATABASE = System.getenv("TEST_DB_NAME") == null || System.getenv("TEST_DB_NAME").isBlank()
            ? "timeout_policy_java_client_it" : System.getenv("TEST_DB_NAME") + "_java_client";
    private static ServiceJar started;

    public final String url;
    private final HttpClient http = HttpClient.newHttpClient();

    private ServiceJar(String url) {
        this.url = url;
    }

    public static synchronized ServiceJar get() throws Exception {
        if (started == null) {
            started = start();
        }
        return started;
    }

    public HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> put(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("X-API-Key", KEY)
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A fresh environment of its own (so that tests do not share history), not Cloud SQL. */
    String newEnvironment() throws Exception {
        return newEnvironment(25.0, 15.0, 25.0, 8.0, "");
    }

    /**
     * A fresh environment with these base timeouts (seconds; too few samples to adapt, so they are what is served)
     * and {@code moreJson} (e.g. {@code , "pool": {…}}) after them.
     */
    public String newEnvironment(double initialization, double connection, double pool, double healthCheck,
            String moreJson) throws Exception {
        String name = "java-" + UUID.randomUUID().toString().substring(0, 12);
        HttpResponse<String> answer = put("/api/v1/environments/" + name + "/policy", "{\"cloud_sql\": false,"
                + " \"base_timeouts\": {\"initialization_timeout\": " + initialization + ", \"table_setup_timeout\": 12.0,"
                + " \"connection_timeout\": " + connection + ", \"pool_timeout\": " + pool
                + ", \"health_check_timeout\": " + healthCheck + "}" + moreJson + "}");
        if (answer.statusCode() != 201) {
            throw new IllegalStateException("PUT policy: " + answer.statusCode() + " " + answer.body());
        }
        return name;
    }

    private static ServiceJar start() throws Exception {
        File jar = new File(System.getProperty("service.jar", "../../target/quarkus-app/quarkus-run.jar"));
        if (!jar.isFile()) {
            throw new IllegalStateException("the packaged service " + jar.getAbsolutePath() + " is missing: run the"
                    + " root build first (./mvnw -B package -DskipTests, or ./mvnw -B verify)");
        }
        String host = env("DB_HOST", "127.0.0.1");
        String port = env("DB_PORT", "5432");
        psql(host, port, "DROP DATABASE IF EXISTS \"" + DATABASE + "\" WITH (FORCE)");
        psql(host, port, "CREATE DATABASE \"" + DATABASE + "\"");
        int httpPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            httpPort = probe.getLocalPort();
        }
        String database = "//" + host + ":" + port + "/" + DATABASE;
        Path log = Files.createTempFile("timeout-policy-java-client-jar-", ".log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.datasource.reactive.url=postgresql:" + database,
                "-Dtimeout-policy.database.migration-url=jdbc:postgresql:" + database + "?connectTimeout=1",
                "-Dtimeout-policy.security.keys.java-tests.sha256=" + sha256(KEY),
                "-Dtimeout-policy.security.keys.java-tests.roles=reporter,deployer,operator",
                "-jar", jar.getAbsolutePath()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }));
        ServiceJar service = new ServiceJar("http://127.0.0.1:" + httpPort);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (service.get("/q/health/ready").statusCode() == 200) {
                    return service;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the packaged jar did not become ready; see " + log);
    }

    /** The attempts the service wrote to its database for {@code environment}, oldest first, as JSON rows. */
    public String attemptsJson(String environment) throws Exception {
        return psql(env("DB_HOST", "127.0.0.1"), env("DB_PORT", "5432"), DATABASE,
                "SELECT coalesce(json_agg(a ORDER BY seq), '[]') FROM (SELECT operation, duration_seconds, success,"
                + " timeout_seconds, failure_type, service, instance, policy_version, seq FROM attempts"
                + " WHERE environment = '" + environment.replace("'", "") + "') a").trim();
    }

    private static void psql(String host, String port, String statement) throws Exception {
        psql(host, port, "postgres", statement);
    }

    private static String psql(String host, String port, String database, String statement) throws Exception {
        Process psql = new ProcessBuilder("psql", "-h", host, "-p", port, "-U", env("DB_USER", "postgres"),
                "-d", database, "-Atqc", statement).redirectErrorStream(true).start();
        String output = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (psql.waitFor() != 0) {
            throw new IllegalStateException("psql " + statement + ": " + output);
        }
        return output;
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }

    static String sha256(String key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    static List<String> none() {
        return List.of();
    }
}
