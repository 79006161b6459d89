package io.timeoutpolicy.client.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.timeoutpolicy.client.StandIns;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** SPEC 9.1's failure types, from exceptions the real drivers throw against real servers and sockets. */
class FailureTypesTest {

    @Test
    void a_closed_port_is_connection_refused() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        SQLException e = connect("jdbc:postgresql://127.0.0.1:" + port + "/x?connectTimeout=2");
        assertThat(FailureTypes.classify(e, false)).isEqualTo("connection_refused");
    }

    @Test
    void a_silent_server_is_database_timeout_even_without_knowing_the_timeout() throws Exception {
        try (StandIns.Hanging silent = new StandIns.Hanging()) {
            SQLException e = connect("jdbc:postgresql://127.0.0.1:" + silent.port + "/x?loginTimeout=1");
            assertThat(FailureTypes.classify(e, false)).as(e.toString()).isEqualTo("database_timeout");
            // the same failure, when the message says nothing: lasting the timeout in force is enough
            SQLException bare = new SQLException("Verbindungsversuch fehlgeschlagen.", "08001");
            assertThat(FailureTypes.classify(bare, false)).isEqualTo("unknown");
            assertThat(FailureTypes.classify(bare, true)).isEqualTo("database_timeout");
        }
    }

    @Test
    void a_wrong_password_on_a_real_server_is_authentication_failed() throws Exception {
        PrivatePostgres pg = PrivatePostgres.get();
        SQLException e = connect(pg.jdbcUrl() + "?user=postgres&password=wrong");
        assertThat(e.getSQLState()).isEqualTo("28P01");
        assertThat(FailureTypes.classify(e, false)).isEqualTo("authentication_failed");
        try (Connection ok = DriverManager.getConnection(pg.jdbcUrl() + "?user=postgres&password="
                + PrivatePostgres.PASSWORD)) {
            assertThat(ok.isValid(1)).as("the right password works: the refusal was the password").isTrue();
        }
    }

    @Test
    void a_host_name_that_does_not_resolve_is_dns_failure() {
        SQLException e = connect("jdbc:postgresql://nohost.invalid:5432/x?connectTimeout=2");
        assertThat(FailureTypes.classify(e, false)).as(e.toString()).isEqualTo("dns_failure");
    }

    @Test
    void ssl_required_by_a_server_without_ssl_is_ssl_failure() {
        SQLException e = connect("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&sslmode=require");
        assertThat(FailureTypes.classify(e, false)).as(e.toString()).isEqualTo("ssl_failure");
    }

    @Test
    void anything_else_is_unknown() {
        SQLException e = connect("jdbc:postgresql://127.0.0.1:5432/no_such_database_here?user=postgres");
        assertThat(e.getSQLState()).isEqualTo("3D000");
        assertThat(FailureTypes.classify(e, false)).isEqualTo("unknown");
    }

    @Test
    void a_pool_acquisition_that_timed_out_is_database_timeout() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(250);
        try (HikariDataSource pool = new HikariDataSource(config); Connection held = pool.getConnection()) {
            SQLException e = null;
            try (Connection ignored = pool.getConnection()) {
                // not reached: the only connection is held
            } catch (SQLException timedOut) {
                e = timedOut;
            }
            assertThat((Object) e).isNotNull();
            assertThat(FailureTypes.classify(e, false)).as(e.toString()).isEqualTo("database_timeout");
        }
    }

    private static SQLException connect(String url) {
        try (Connection c = DriverManager.getConnection(url)) {
            throw new AssertionError("connected to " + url);
        } catch (SQLException e) {
            return e;
        }
    }
}
