package io.timeoutpolicy.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timeoutpolicy.client.ServiceJar;
import io.timeoutpolicy.client.StandIns;
import io.timeoutpolicy.client.integration.IntegrationSettings;
import io.timeoutpolicy.client.integration.TimeoutPolicyIntegration;
import java.nio.file.Files;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** pgJDBC without a pool: the wrapper applies connectTimeout and loginTimeout and reports every connect. */
class TimeoutPolicyDataSourceTest {

    @Test
    void a_plain_pgjdbc_data_source_gets_the_timeouts_and_reports_connects_and_checks() throws Exception {
        String environment = ServiceJar.get().newEnvironment(25.0, 1.2, 4.0, 1.5, "");
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL("jdbc:postgresql://127.0.0.1:5432/postgres");
        pg.setUser("postgres");
        PGSimpleDataSource silentPg = new PGSimpleDataSource();
        long elapsed;
        try (TimeoutPolicyIntegration integration = TimeoutPolicyIntegration.of(settings(environment));
                StandIns.Hanging silent = new StandIns.Hanging()) {
            TimeoutPolicyDataSource ds = TimeoutPolicyDataSource.wrap(pg, integration);
            assertThat(pg.getConnectTimeout()).isEqualTo(2);
            assertThat(pg.getLoginTimeout()).isEqualTo(2);
            try (Connection c = ds.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
                assertThat(c.unwrap(org.postgresql.PGConnection.class)).isNotNull();
            }
            silentPg.setURL("jdbc:postgresql://127.0.0.1:" + silent.port + "/postgres?connectTimeout=7");
            TimeoutPolicyDataSource silentDs = TimeoutPolicyDataSource.wrap(silentPg, integration);
            assertThat(silentPg.getConnectTimeout()).as("the application's own").isEqualTo(7);
            assertThat(silentDs.served().keptFromApplication()).containsExactly(
                    "connectTimeout = 7 s set by the application (served 2 s)");
            long start = System.nanoTime();
            assertThatThrownBy(silentDs::getConnection).hasMessageContaining("timed out");
            elapsed = System.nanoTime() - start;
            assertThat(integration.client().flush(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(elapsed / 1e9).isCloseTo(2.0, within(0.2));
        List<JsonNode> rows = new ArrayList<>();
        new ObjectMapper().readTree(ServiceJar.get().attemptsJson(environment)).forEach(rows::add);
        assertThat(rows).extracting(r -> r.get("operation").asText() + "/" + r.get("success").asBoolean() + "/"
                + r.get("failure_type").asText() + "/" + r.get("timeout_seconds").asDouble())
                .containsExactlyInAnyOrder("connection/true/null/2.0", "initialization/true/null/25.0",
                        "health_check/true/null/1.0", "connection/false/database_timeout/2.0");
    }

    @Test
    void without_an_environment_nothing_changes_and_nothing_is_reported() throws Exception {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL("jdbc:postgresql://127.0.0.1:5432/postgres");
        pg.setUser("postgres");
        try (TimeoutPolicyIntegration integration = TimeoutPolicyIntegration.of(IntegrationSettings.from(n -> null))) {
            TimeoutPolicyDataSource ds = TimeoutPolicyDataSource.wrap(pg, integration);
            try (Connection c = ds.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
            assertThat(pg.getConnectTimeout()).isEqualTo(10);
            assertThat(ds.served().isNone()).isTrue();
        }
    }

    static IntegrationSettings settings(String environment) throws Exception {
        return IntegrationSettings.from(n -> null).withUrl(ServiceJar.get().url).withEnvironment(environment)
                .withKey(ServiceJar.KEY).withService("jdbc-app").withCacheDir(Files.createTempDirectory("c-"));
    }
}
