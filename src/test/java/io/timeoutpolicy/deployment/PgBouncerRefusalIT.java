package io.timeoutpolicy.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timeoutpolicy.PackagedJar;
import io.timeoutpolicy.TestDatabase;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a deployment sees when it is configured wrong for its pooler: a refusal said once at ERROR and shown in
 * the {@code database} health group with what to configure, and a start that stops when LISTEN could not work.
 */
class PgBouncerRefusalIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void the_default_configuration_behind_a_transaction_pooler_is_told_what_to_configure() throws Exception {
        String database = TestDatabase.name() + "_pgbouncer_refused";
        TestDatabase.recreate(database);
        try (PgBouncer bouncer = PgBouncer.start("transaction");
                PackagedJar jar = PackagedJar.start("refused", List.of(
                        "-Dquarkus.datasource.reactive.url=" + bouncer.reactiveUrl(database),
                        "-Dtimeout-policy.database.bootstrap-retry-interval=1s"))) {
            HttpResponse<String> health = jar.await("/q/health/group/database",
                    r -> r.body().contains("\"pooler\""), Duration.ofSeconds(20));
            assertThat(health.statusCode()).isEqualTo(503);
            JsonNode data = JSON.readTree(health.body()).path("checks").get(0).path("data");
            assertThat(data.path("pooler").asText()).contains("refuses the start-up parameter statement_timeout")
                    .contains("timeout-policy.database.pooler=transaction");
            assertThat(data.path("pooler_error").asText()).startsWith("08P01")
                    .contains("unsupported startup parameter: statement_timeout");

            // The bootstrap keeps trying every second; the refusal is said once.
            jar.await("/q/health/live", r -> countOf(log(jar), "Database not ready") >= 3, Duration.ofSeconds(20));
            String log = log(jar);
            assertThat(countOf(log, "ERROR")).isEqualTo(1);
            assertThat(log).contains("ERROR [io.ti.pl.da.PoolerDiagnosis]")
                    .contains("timeout-policy.database.pooler=transaction");
            assertThat(bouncer.log()).contains("unsupported startup parameter: statement_timeout");
        }
    }

    @Test
    void a_transaction_pooler_without_a_notifications_url_stops_the_start_naming_the_property() throws Exception {
        Path output = Files.createTempFile("no-notifications-url", ".log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=0", "-Dtimeout-policy.database.pooler=transaction",
                "-jar", new File("target/quarkus-app/quarkus-run.jar").getAbsolutePath())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the process ends by itself").isTrue();
            assertThat(process.exitValue()).isNotZero();
            assertThat(Files.readString(output)).contains("timeout-policy.database.notifications-url")
                    .contains("TIMEOUT_POLICY_DATABASE_NOTIFICATIONS_URL");
        } finally {
            process.destroyForcibly();
        }
    }

    private static String log(PackagedJar jar) {
        try {
            return jar.log();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long countOf(String text, String part) {
        return text.lines().filter(line -> line.contains(part)).count();
    }
}
