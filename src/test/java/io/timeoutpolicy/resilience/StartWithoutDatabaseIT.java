package io.timeoutpolicy.resilience;

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
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The packaged service started while PostgreSQL is unreachable: it starts, serves degraded timeouts from
 * its built-in policies and stays ready (its database group is DOWN); when the database appears it migrates,
 * catches up and clears degraded by itself, without a restart.
 */
class StartWithoutDatabaseIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void starts_degraded_without_its_database_and_catches_up_when_it_appears() throws Exception {
        try (FaultProxy proxy = new FaultProxy(FaultProxyResource.env("DB_HOST", "127.0.0.1"),
                Integer.parseInt(FaultProxyResource.env("DB_PORT", "5432")))) {
            int databasePort = proxy.start();
            proxy.cut();
            int port = freePort();
            Path log = Files.createTempFile("start-without-database", ".log");
            String database = "//127.0.0.1:" + databasePort + "/" + FaultProxyResource.env("TEST_DB_NAME",
                    "timeout_policy_test");
            Process service = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dquarkus.http.port=" + port,
                    "-Dquarkus.datasource.reactive.url=postgresql:" + database,
                    "-Dtimeout-policy.database.migration-url=jdbc:postgresql:" + database + "?connectTimeout=1",
                    "-Dtimeout-policy.database.bootstrap-retry-interval=1s",
                    "-jar", new File("target/quarkus-app/quarkus-run.jar").getAbsolutePath()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                String base = "http://127.0.0.1:" + port;
                await(base + "/q/health/live", r -> r.statusCode() == 200, Duration.ofSeconds(30));

                HttpResponse<String> timeouts = get(base + "/api/v1/environments/staging/timeouts");
                assertThat(timeouts.statusCode()).isEqualTo(200);
                assertThat(timeouts.body()).contains("\"degraded\":true").contains("\"connection_timeout\":90.0");
                // Ready all the same (SPEC 7): the database is shared, its own state is the database group.
                HttpResponse<String> ready = get(base + "/q/health/ready");
                assertThat(ready.statusCode()).isEqualTo(200);
                assertThat(ready.body()).contains("database unavailable");
                HttpResponse<String> databaseGroup = get(base + "/q/health/group/database");
                assertThat(databaseGroup.statusCode()).isEqualTo(503);
                assertThat(databaseGroup.body()).contains("reason");
                assertThat(get(base + "/api/v1/environments/staging/metrics").statusCode()).isEqualTo(503);

                proxy.pass();
                await(base + "/q/health/group/database", r -> r.statusCode() == 200, Duration.ofSeconds(30));
                await(base + "/api/v1/environments/staging/timeouts", r -> r.body().contains("\"degraded\":false"),
                        Duration.ofSeconds(30));
                assertThat(get(base + "/q/health/ready").statusCode()).isEqualTo(200);
                assertThat(get(base + "/api/v1/environments/staging/metrics").statusCode()).isEqualTo(200);
            } finally {
                service.destroy();
                service.waitFor();
                System.out.println(Files.readString(log).lines().filter(l -> l.contains("WARN") || l.contains("INFO"))
                        .limit(40).reduce("", (a, b) -> a + b + "\n"));
            }
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void await(String url, Predicate<HttpResponse<String>> done, Duration within) throws Exception {
        Instant deadline = Instant.now().plus(within);
        while (true) {
            try {
                if (done.test(get(url))) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // the service is still starting
            }
            assertThat(Instant.now()).as(url).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
