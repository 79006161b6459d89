package io.timeoutpolicy.quarkus;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

/**
 * The golden rule at a Quarkus application's start (SPEC 9.1): the service accepts and never answers, and the
 * ConfigSource still gives the datasource its values — the client's staging defaults (SPEC 3's base timeouts
 * × 1.2 without samples: pool 72 s, connection 90 s, health check 36 s) — within the 2 s budget,
 * without throwing. (Plain JUnit, as SmallRye calls the factory; the application itself is QuarkusIntegrationTest.)
 */
class ServiceHangingTest {

    @Test
    void a_hanging_service_costs_the_start_at_most_the_budget_and_the_defaults_apply() throws Exception {
        try (ServerSocket hanging = new ServerSocket(0)) {
            List<Socket> held = new ArrayList<>();
            Thread accepting = new Thread(() -> {
                try {
                    while (true) {
                        held.add(hanging.accept());
                    }
                } catch (IOException closed) {
                    // done
                }
            });
            accepting.setDaemon(true);
            accepting.start();
            Map<String, String> given = Map.of("timeout-policy.url", "http://127.0.0.1:" + hanging.getLocalPort(),
                    "timeout-policy.environment", "staging", "timeout-policy.cache-dir",
                    Files.createTempDirectory("tp-cache-").toString(),
                    "quarkus.datasource.jdbc.max-size", "7", // the application's own, from application.properties
                    "quarkus.datasource.db-kind", "postgresql");
            ConfigSourceContext context = new ConfigSourceContext() {
                @Override
                public ConfigValue getValue(String name) {
                    String value = given.get(name);
                    return value == null ? null : ConfigValue.builder().withName(name).withValue(value)
                            .withConfigSourceName("application.properties").withConfigSourceOrdinal(250).build();
                }

                @Override
                public Iterator<String> iterateNames() {
                    return given.keySet().iterator();
                }
            };
            // What any first HTTP call of a JVM costs once (loading the JDK's HTTP client and Jackson), measured apart
            long coldStart = System.nanoTime();
            new io.timeoutpolicy.client.integration.IntegrationSettings(null, null, null, null, null, 10, 200,
                    java.time.Duration.ofSeconds(2), null).active();
            java.net.http.HttpClient.newHttpClient();
            new com.fasterxml.jackson.databind.ObjectMapper().readTree("{}");
            System.out.println("loading the HTTP client and Jackson: " + (System.nanoTime() - coldStart) / 1_000_000 + " ms");
            long start = System.nanoTime();
            Iterable<ConfigSource> sources = new TimeoutPolicyConfigSourceFactory().getConfigSources(context);
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            System.out.println("hanging service: the ConfigSource answered after " + elapsedMs + " ms");
            // the 2 s budget, plus making the client (CPU only: 2 shared cores, often loaded)
            assertThat(elapsedMs).isLessThan(2_000 + 1_000);
            ConfigSource source = sources.iterator().next();
            assertThat(source.getOrdinal()).isEqualTo(200);
            assertThat(source.getProperties()).containsEntry("quarkus.datasource.jdbc.acquisition-timeout", "PT1M12S")
                    .containsEntry("quarkus.datasource.jdbc.additional-jdbc-properties.connectTimeout", "90")
                    .containsEntry("quarkus.datasource.jdbc.additional-jdbc-properties.loginTimeout", "90")
                    .containsEntry("quarkus.datasource.jdbc.validation-query-timeout", "PT36S")
                    .containsEntry("quarkus.datasource.reactive.max-size", "25")
                    .containsEntry("quarkus.datasource.jdbc.max-lifetime", "PT30M")
                    .containsEntry("quarkus.datasource.jdbc.driver", TimeoutPolicyDriver.class.getName())
                    .doesNotContainKey("quarkus.datasource.jdbc.max-size");
            assertThat(QuarkusIntegration.current().config().source().name()).isEqualTo("DEFAULTS");
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
