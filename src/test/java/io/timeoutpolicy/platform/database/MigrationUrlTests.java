package io.timeoutpolicy.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Flyway's JDBC URL comes from the one reactive URL a deployment configures, parsed, not pasted. */
class MigrationUrlTests {

    @Test
    void a_plain_reactive_url_gives_the_same_host_port_and_database() {
        assertThat(MigrationUrl.from("postgresql://db.internal:6432/timeout_policy"))
                .isEqualTo("jdbc:postgresql://db.internal:6432/timeout_policy?connectTimeout=3&socketTimeout=60");
    }

    @Test
    void query_parameters_of_the_reactive_url_do_not_break_the_jdbc_url_and_tls_is_kept() {
        assertThat(MigrationUrl.from("postgresql://db.internal:5432/timeout_policy?sslmode=require"))
                .isEqualTo("jdbc:postgresql://db.internal:5432/timeout_policy?connectTimeout=3&socketTimeout=60"
                        + "&sslmode=require");
    }

    @Test
    void the_postgres_scheme_and_a_missing_port_are_understood() {
        assertThat(MigrationUrl.from("postgres://127.0.0.1/timeout_policy"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/timeout_policy?connectTimeout=3&socketTimeout=60");
    }

    @Test
    void an_ipv6_host_keeps_its_brackets() {
        assertThat(MigrationUrl.from("postgresql://[::1]:5432/tp"))
                .isEqualTo("jdbc:postgresql://[::1]:5432/tp?connectTimeout=3&socketTimeout=60");
    }

    @Test
    void of_several_hosts_migrations_use_the_first() {
        assertThat(MigrationUrl.from("postgresql://primary:5432/tp, postgresql://standby:5432/tp"))
                .isEqualTo("jdbc:postgresql://primary:5432/tp?connectTimeout=3&socketTimeout=60");
    }

    @Test
    void behind_a_pooler_pgjdbc_prepares_no_named_statements() {
        String url = "jdbc:postgresql://pgbouncer:6432/tp?connectTimeout=3";
        assertThat(MigrationUrl.behind(PoolerMode.NONE, url)).isEqualTo(url);
        assertThat(MigrationUrl.behind(PoolerMode.TRANSACTION, url)).isEqualTo(url + "&prepareThreshold=0");
        assertThat(MigrationUrl.behind(PoolerMode.SESSION, "jdbc:postgresql://pgbouncer:6432/tp"))
                .isEqualTo("jdbc:postgresql://pgbouncer:6432/tp?prepareThreshold=0");
        assertThat(MigrationUrl.behind(PoolerMode.TRANSACTION, url + "&prepareThreshold=3"))
                .as("a threshold the URL sets itself is kept").isEqualTo(url + "&prepareThreshold=3");
    }
}
