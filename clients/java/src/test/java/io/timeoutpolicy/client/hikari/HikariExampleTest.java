package io.timeoutpolicy.client.hikari;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.timeoutpolicy.client.ServiceJar;
import io.timeoutpolicy.client.StandIns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 26's "done when": the 30-line HikariCP program, run as its own JVM with nothing but the environment
 * variables, gets the served values, and its connects — one timing out against a silent server — are in the
 * service's history with service, instance, failure type and timeout.
 */
class HikariExampleTest {

    @Test
    void the_thirty_line_program_gets_the_values_and_its_connects_reach_the_history() throws Exception {
        ServiceJar service = ServiceJar.get();
        String environment = service.newEnvironment(25.0, 1.5, 6.0, 2.0, HikariIntegrationTest.POOL_ADVICE);
        String output;
        try (StandIns.Hanging silent = new StandIns.Hanging()) {
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), HikariExample.class.getName(),
                    HikariIntegrationTest.DB, "jdbc:postgresql://127.0.0.1:" + silent.port + "/postgres")
                    .redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.put("TIMEOUT_POLICY_URL", service.url);
            env.put("TIMEOUT_POLICY_ENVIRONMENT", environment);
            env.put("TIMEOUT_POLICY_KEY", ServiceJar.KEY);
            env.put("TIMEOUT_POLICY_SERVICE", "billing-api");
            env.put("TIMEOUT_POLICY_CACHE_DIR", Files.createTempDirectory("tp-cache-").toString());
            Process program = builder.start();
            output = new String(program.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(program.waitFor()).as(output).isZero();
            System.out.println(output);
            String[] pid = {String.valueOf(program.pid())};
            List<JsonNode> connects = Fleet.history(environment, "connection");
            assertThat(connects).hasSize(2);
            assertThat(connects).allSatisfy(row -> {
                assertThat(row.get("service").asText()).isEqualTo("billing-api");
                assertThat(row.get("instance").asText()).endsWith(":" + pid[0]);
                assertThat(row.get("timeout_seconds").asDouble()).isEqualTo(2.0);
                assertThat(row.get("policy_version").asInt()).isEqualTo(1);
            });
            assertThat(connects.get(0).get("success").asBoolean()).isTrue();
            assertThat(connects.get(1).get("success").asBoolean()).isFalse();
            assertThat(connects.get(1).get("failure_type").asText()).isEqualTo("database_timeout");
            assertThat(Fleet.history(environment, "initialization")).hasSize(1);
        }
        assertThat(output).contains("connectionTimeout=6000 validationTimeout=2000 maximumPoolSize=5"
                + " maxLifetime=600000").contains("connectTimeout=2").contains("loginTimeout=2")
                .contains("gave up after").contains("HikariCP configured for " + environment + " from service");
    }
}
