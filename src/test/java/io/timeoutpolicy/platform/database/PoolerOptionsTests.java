package io.timeoutpolicy.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pool's options behind each pooler mode: what is sent at start-up, and how statements are named. */
class PoolerOptionsTests {

    /** What Quarkus makes of application.properties: the client's defaults plus our statement_timeout. */
    private static PgConnectOptions configured() {
        Map<String, String> properties = new HashMap<>(PgConnectOptions.DEFAULT_PROPERTIES);
        properties.put("statement_timeout", "6000");
        return new PgConnectOptions().setHost("pgbouncer").setPort(6432).setDatabase("tp").setUser("svc")
                .setPassword("secret").setSslMode(SslMode.VERIFY_FULL)
                .setPemTrustOptions(new PemTrustOptions().addCertPath("/etc/ca.pem"))
                .setCachePreparedStatements(true).setProperties(properties);
    }

    @Test
    void without_a_pooler_everything_is_sent_as_configured() {
        PgConnectOptions options = PoolerOptions.forPool(configured(), PoolerMode.NONE);
        assertThat(options.getProperties()).containsEntry("statement_timeout", "6000")
                .containsEntry("extra_float_digits", "2");
        assertThat(options.getUseLayer7Proxy()).isFalse();
        assertThat(options.getCachePreparedStatements()).isTrue();
        assertThat(PoolerOptions.withheld(configured(), PoolerMode.NONE)).isEmpty();
    }

    @Test
    void in_transaction_mode_only_tracked_parameters_are_sent_and_statements_are_unnamed() {
        PgConnectOptions options = PoolerOptions.forPool(configured(), PoolerMode.TRANSACTION);
        assertThat(options.getProperties()).containsOnlyKeys("application_name", "client_encoding", "DateStyle");
        assertThat(options.getUseLayer7Proxy()).isTrue();
        assertThat(options.getCachePreparedStatements()).isFalse();
        assertThat(PoolerOptions.withheld(configured(), PoolerMode.TRANSACTION))
                .containsOnly(Map.entry("statement_timeout", "6000"), Map.entry("extra_float_digits", "2"));
    }

    @Test
    void in_session_mode_statements_stay_named_and_the_withheld_parameters_are_set_per_connection() {
        PgConnectOptions options = PoolerOptions.forPool(configured(), PoolerMode.SESSION);
        assertThat(options.getProperties()).doesNotContainKeys("statement_timeout", "extra_float_digits");
        assertThat(options.getUseLayer7Proxy()).isFalse();
        assertThat(options.getCachePreparedStatements()).isTrue();
    }

    @Test
    void credentials_and_tls_are_kept_in_every_mode() {
        for (PoolerMode mode : PoolerMode.values()) {
            PgConnectOptions options = PoolerOptions.forPool(configured(), mode);
            assertThat(options.getHost()).isEqualTo("pgbouncer");
            assertThat(options.getUser()).isEqualTo("svc");
            assertThat(options.getPassword()).isEqualTo("secret");
            assertThat(options.getSslMode()).isEqualTo(SslMode.VERIFY_FULL);
            assertThat(options.getPemTrustOptions().getCertPaths()).containsExactly("/etc/ca.pem");
        }
    }

    @Test
    void the_configured_options_are_not_changed() {
        PgConnectOptions configured = configured();
        PoolerOptions.forPool(configured, PoolerMode.TRANSACTION);
        assertThat(configured.getProperties()).containsKey("statement_timeout");
        assertThat(configured.getUseLayer7Proxy()).isFalse();
    }

    @Test
    void session_settings_are_one_statement_with_quoted_literals() {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("statement_timeout", "6000");
        settings.put("search_path", "it's");
        assertThat(PoolerOptions.settingsStatement(settings)).isEqualTo("SELECT set_config('statement_timeout',"
                + " '6000', false), set_config('search_path', 'it''s', false)");
    }
}
