package io.timeoutpolicy.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.pgclient.PgException;
import java.sql.SQLException;
import org.flywaydb.core.internal.exception.FlywaySqlException;
import org.junit.jupiter.api.Test;

/** Which failures are a pooler refusing the service, and what each one says to configure. */
class PoolerRefusalTests {

    private static PgException fatal(String message, String state) {
        return new PgException(message, "FATAL", state, null);
    }

    @Test
    void a_refused_start_up_parameter_without_a_pooler_mode_says_to_set_one() {
        var refusal = PoolerRefusal.of(fatal("unsupported startup parameter: statement_timeout", "08P01"),
                PoolerMode.NONE).orElseThrow();
        assertThat(refusal.sqlState()).isEqualTo("08P01");
        assertThat(refusal.advice()).contains("statement_timeout", "timeout-policy.database.pooler=transaction");
    }

    @Test
    void a_refused_start_up_parameter_with_a_pooler_mode_is_pgjdbcs_and_says_ignore_startup_parameters() {
        SQLException jdbc = new SQLException("FATAL: unsupported startup parameter: extra_float_digits", "08P01");
        var refusal = PoolerRefusal.of(new FlywaySqlException("Unable to obtain connection", jdbc),
                PoolerMode.TRANSACTION).orElseThrow();
        assertThat(refusal.advice()).contains("extra_float_digits", "ignore_startup_parameters");
    }

    @Test
    void named_statements_colliding_on_shared_connections_say_to_set_transaction_mode() {
        for (var failure : new Exception[] {
                new PgException("prepared statement \"0000001\" already exists", "ERROR", "42P05", null),
                new SQLException("ERROR: prepared statement \"S_3\" does not exist", "26000"),
                new SQLException("ERROR: bind message supplies 1 parameters, but prepared statement \"S_3\""
                        + " requires 2", "08P01")}) {
            assertThat(PoolerRefusal.of(failure, PoolerMode.NONE)).as(failure.getMessage())
                    .hasValueSatisfying(refusal -> assertThat(refusal.advice())
                            .contains("timeout-policy.database.pooler=transaction"));
        }
    }

    @Test
    void outages_and_content_errors_are_no_refusal() {
        assertThat(PoolerRefusal.of(new java.net.ConnectException("Connection refused"), PoolerMode.NONE)).isEmpty();
        assertThat(PoolerRefusal.of(fatal("terminating connection due to administrator command", "57P01"),
                PoolerMode.TRANSACTION)).isEmpty();
        assertThat(PoolerRefusal.of(new PgException("duplicate key value", "ERROR", "23505", null),
                PoolerMode.TRANSACTION)).isEmpty();
        assertThat(PoolerRefusal.of(fatal("no more connections allowed (max_client_conn)", "08P01"),
                PoolerMode.TRANSACTION)).isEmpty();
    }

    @Test
    void its_description_carries_the_advice_and_the_poolers_words() {
        var refusal = PoolerRefusal.of(new RuntimeException("wrapped",
                fatal("unsupported startup parameter: statement_timeout", "08P01")), PoolerMode.NONE).orElseThrow();
        assertThat(refusal.describe()).endsWith("[08P01: unsupported startup parameter: statement_timeout]");
    }
}
