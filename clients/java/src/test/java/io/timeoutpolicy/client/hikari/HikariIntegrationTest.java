package io.timeoutpolicy.client.hikari;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.timeoutpolicy.client.ServiceJar;
import io.timeoutpolicy.client.StandIns;
import io.timeoutpolicy.client.integration.PrivatePostgres;
import io.timeoutpolicy.client.integration.Served;
import io.timeoutpolicy.client.integration.TimeoutPolicyIntegration;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** HikariCP 7 + pgJDBC with the real service jar, the real PostgreSQL and real faults (issue 26, point 5). */
class HikariIntegrationTest {

    static final String DB = "jdbc:postgresql://127.0.0.1:5432/postgres";
    static final String POOL_ADVICE = ", \"pool\": {\"pool_size\": 3, \"max_overflow\": 2, \"pool_timeout\": 99.0,"
            + " \"pool_recycle\": 600, \"pool_pre_ping\": true}";

    static HikariConfig config(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        return config;
    }

    @Test
    void the_served_values_are_in_the_pool_and_its_connects_in_the_history() throws Exception {
        String environment = ServiceJar.get().newEnvironment(25.0, 2.2, 4.0, 1.5, POOL_ADVICE);
        try (TimeoutPolicyIntegration integration = Fleet.integration(environment)) {
            HikariConfig config = config(DB);
            Served served = TimeoutPolicyHikari.configure(config, integration);
            assertThat(TimeoutPolicyHikari.configure(config, integration)).as("twice: applied once").isSameAs(served);
            try (HikariDataSource pool = new HikariDataSource(config); Connection c = pool.getConnection()) {
                assertThat(c.createStatement().executeQuery("SELECT 1").next()).isTrue();
                assertThat(pool.getConnectionTimeout()).isEqualTo(4_000);
                assertThat(pool.getValidationTimeout()).isEqualTo(1_500);
                assertThat(pool.getMaximumPoolSize()).isEqualTo(5);
                assertThat(pool.getMaxLifetime()).isEqualTo(600_000);
                assertThat(pool.getDataSourceProperties()).containsEntry("connectTimeout", "3")
                        .containsEntry("loginTimeout", "3");
                assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isPositive();
            }
            assertThat(served.source().name()).isEqualTo("SERVICE");
            assertThat(served.knob("connectTimeout").change()).isEqualTo("rounded up to whole seconds");
            assertThat(integration.client().flush(Duration.ofSeconds(10))).isTrue();
        }
        List<JsonNode> connects = Fleet.history(environment, "connection");
        assertThat(connects).isNotEmpty().allSatisfy(row -> {
            assertThat(row.get("success").asBoolean()).isTrue();
            assertThat(row.get("timeout_seconds").asDouble()).isEqualTo(3.0);
            assertThat(row.get("service").asText()).isEqualTo(Fleet.SERVICE);
            assertThat(row.get("instance").asText()).isEqualTo(Fleet.INSTANCE);
            assertThat(row.get("policy_version").asInt()).isEqualTo(1);
        });
        assertThat(Fleet.history(environment, "initialization")).as("once per pool").hasSize(1);
        assertThat(Fleet.history(environment, "health_check")).as("HikariCP's isValid check of its first connection")
                .isNotEmpty().allSatisfy(row -> assertThat(row.get("timeout_seconds").asDouble()).isEqualTo(1.5));
    }

    @Test
    void a_silent_server_gives_up_after_the_served_connect_timeout_reported_as_database_timeout() throws Exception {
        String environment = ServiceJar.get().newEnvironment(25.0, 2.0, 4.0, 1.5, "");
        long connect;
        long poolStart;
        try (TimeoutPolicyIntegration integration = Fleet.integration(environment);
                StandIns.Hanging silent = new StandIns.Hanging()) {
            HikariConfig config = config("jdbc:postgresql://127.0.0.1:" + silent.port + "/postgres");
            TimeoutPolicyHikari.configure(config, integration);
            long start = System.nanoTime();
            // the connect HikariCP makes, through the DataSource configure() gave it
            assertThatThrownBy(() -> config.getDataSource().getConnection("postgres", null))
                    .hasMessageContaining("timed out");
            connect = System.nanoTime() - start;
            start = System.nanoTime();
            assertThatThrownBy(() -> new HikariDataSource(config)).isInstanceOf(HikariPool.PoolInitializationException.class);
            poolStart = System.nanoTime() - start;
            assertThat(integration.client().flush(Duration.ofSeconds(10))).isTrue();
        }
        System.out.printf("silent server, served connect timeout 2 s: a connect gave up after %d ms; the pool's"
                + " start after %d ms (HikariCP pauses 1 s after a failed first connect)%n", connect / 1_000_000,
                poolStart / 1_000_000);
        assertThat(connect / 1e9).isCloseTo(2.0, within(0.2)); // ±10 %
        assertThat(poolStart / 1e9).isCloseTo(2.0 + 1.0, within(0.3));
        assertThat(Fleet.history(environment, "connection")).hasSize(2);
        JsonNode row = Fleet.history(environment, "connection").get(1);
        assertThat(row.get("success").asBoolean()).isFalse();
        assertThat(row.get("failure_type").asText()).isEqualTo("database_timeout");
        assertThat(row.get("timeout_seconds").asDouble()).isEqualTo(2.0);
        assertThat(row.get("duration_seconds").asDouble()).isCloseTo(2.0, within(0.2));
        assertThat(row.get("service").asText()).isEqualTo(Fleet.SERVICE);
        assertThat(row.get("instance").asText()).isEqualTo(Fleet.INSTANCE);
    }

    @Test
    void a_refused_port_and_a_wrong_password_are_reported_as_such() throws Exception {
        String environment = ServiceJar.get().newEnvironment(25.0, 2.0, 4.0, 1.5, "");
        try (TimeoutPolicyIntegration integration = Fleet.integration(environment)) {
            String closed = StandIns.closedPort().replace("http://", "jdbc:postgresql://") + "/postgres";
            HikariConfig refused = config(closed);
            TimeoutPolicyHikari.configure(refused, integration);
            assertThatThrownBy(() -> new HikariDataSource(refused)).isInstanceOf(HikariPool.PoolInitializationException.class);
            HikariConfig wrong = config(PrivatePostgres.get().jdbcUrl());
            wrong.setPassword("wrong");
            TimeoutPolicyHikari.configure(wrong, integration);
            assertThatThrownBy(() -> new HikariDataSource(wrong)).isInstanceOf(HikariPool.PoolInitializationException.class);
            assertThat(integration.client().flush(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(Fleet.history(environment, "connection")).extracting(r -> r.get("failure_type").asText())
                .containsExactly("connection_refused", "authentication_failed");
    }

    @Test
    void ten_thousand_acquisitions_that_did_not_wait_add_no_report() throws Exception {
        String environment = ServiceJar.get().newEnvironment(25.0, 2.0, 4.0, 1.5, "");
        try (TimeoutPolicyIntegration integration = Fleet.integration(environment)) {
            HikariConfig config = config(DB);
            config.setMinimumIdle(1); // no background connects while the loop runs: only acquisitions are counted
            TimeoutPolicyHikari.configure(config, integration);
            try (HikariDataSource pool = new HikariDataSource(config)) {
                pool.getConnection().close();
                Thread.sleep(200); // the pool's start is over
                long before = integration.client().reportingStats().queued();
                for (int i = 0; i < 10_000; i++) {
                    pool.getConnection().close();
                }
                assertThat(integration.client().reportingStats().queued()).isEqualTo(before);
            }
        }
    }

    @Test
    void a_pool_exhausted_by_held_connections_reports_its_waits_and_its_time_out() throws Exception {
        String environment = ServiceJar.get().newEnvironment(25.0, 2.0, 0.5, 0.3, "");
        try (TimeoutPolicyIntegration integration = Fleet.integration(environment)) {
            HikariConfig config = config(DB);
            config.setMaximumPoolSize(1); // the application's own: kept
            Served served = TimeoutPolicyHikari.configure(config, integration);
            assertThat(served.keptFromApplication()).anySatisfy(k -> assertThat(k).startsWith("maximumPoolSize = 1"));
            try (HikariDataSource pool = new HikariDataSource(config)) {
                Connection held = pool.getConnection();
                CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
                    try (Connection c = pool.getConnection()) {
                        c.isValid(1);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(200);
                held.close();
                waiter.get();
                try (Connection again = pool.getConnection()) {
                    assertThatThrownBy(pool::getConnection).hasMessageContaining("timed out");
                }
            }
            assertThat(integration.client().flush(Duration.ofSeconds(10))).isTrue();
        }
        List<JsonNode> waits = Fleet.history(environment, "pool");
        assertThat(waits).hasSize(2);
        assertThat(waits.get(0).get("success").asBoolean()).isTrue();
        assertThat(waits.get(0).get("duration_seconds").asDouble()).isGreaterThan(0.1);
        assertThat(waits.get(1).get("success").asBoolean()).isFalse();
        assertThat(waits.get(1).get("failure_type").asText()).isEqualTo("database_timeout");
        assertThat(waits.get(1).get("timeout_seconds").asDouble()).isEqualTo(0.5);
        assertThat(waits.get(1).get("duration_seconds").asDouble()).isGreaterThanOrEqualTo(0.5);
    }
}
