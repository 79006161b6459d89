package io.timeoutpolicy.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The LISTEN connection: the pool's credentials and TLS, pointed where the notifications URL says. */
class NotificationsOptionsTests {

    private static PgConnectOptions pool() {
        return new PgConnectOptions().setHost("pgbouncer").setPort(6432).setDatabase("tp").setUser("svc")
                .setPassword("secret").setSslMode(SslMode.VERIFY_CA)
                .setPemTrustOptions(new PemTrustOptions().addCertPath("/etc/ca.pem"))
                .setUseLayer7Proxy(true).setMetricsName("postgresql|<default>");
    }

    @Test
    void without_a_url_it_connects_where_the_pool_does_with_everything_the_pool_has() {
        PgConnectOptions options = NotificationsOptions.from(pool(), Optional.empty());
        assertThat(options.getHost()).isEqualTo("pgbouncer");
        assertThat(options.getPort()).isEqualTo(6432);
        assertThat(options.getUser()).isEqualTo("svc");
        assertThat(options.getPassword()).isEqualTo("secret");
        assertThat(options.getSslMode()).isEqualTo(SslMode.VERIFY_CA);
        assertThat(options.getPemTrustOptions().getCertPaths()).containsExactly("/etc/ca.pem");
    }

    @Test
    void a_url_changes_where_it_connects_and_keeps_the_pools_credentials_and_tls() {
        PgConnectOptions options = NotificationsOptions.from(pool(), Optional.of("postgresql://db-primary:5433/tp_direct"));
        assertThat(options.getHost()).isEqualTo("db-primary");
        assertThat(options.getPort()).isEqualTo(5433);
        assertThat(options.getDatabase()).isEqualTo("tp_direct");
        assertThat(options.getUser()).isEqualTo("svc");
        assertThat(options.getPassword()).isEqualTo("secret");
        assertThat(options.getSslMode()).isEqualTo(SslMode.VERIFY_CA);
        assertThat(options.getPemTrustOptions().getCertPaths()).containsExactly("/etc/ca.pem");
        assertThat(options.getUseLayer7Proxy()).isFalse();
    }

    @Test
    void what_the_url_states_itself_wins() {
        PgConnectOptions options = NotificationsOptions.from(pool(),
                Optional.of("postgresql://listener:pw@db-primary/tp?sslmode=require&application_name=tp-listen"));
        assertThat(options.getUser()).isEqualTo("listener");
        assertThat(options.getPassword()).isEqualTo("pw");
        assertThat(options.getSslMode()).isEqualTo(SslMode.REQUIRE);
        assertThat(options.getPort()).as("the URL names no port").isEqualTo(6432);
        assertThat(options.getProperties()).containsEntry("application_name", "tp-listen");
    }

    @Test
    void its_meters_join_the_pools_family_under_a_client_name_of_their_own() {
        assertThat(NotificationsOptions.from(pool(), Optional.empty()).getMetricsName())
                .isEqualTo("postgresql|notifications");
        assertThat(NotificationsOptions.from(pool().setMetricsName(null), Optional.empty()).getMetricsName())
                .isEqualTo("postgresql|notifications");
    }

    @Test
    void a_transaction_pooler_without_a_notifications_url_is_refused_naming_the_property() {
        assertThat(DatabaseNotifications.missingNotificationsUrl(PoolerMode.TRANSACTION, Optional.empty()))
                .hasValueSatisfying(message -> assertThat(message)
                        .startsWith("timeout-policy.database.notifications-url (env TIMEOUT_POLICY_DATABASE_NOTIFICATIONS_URL)"
                                + " is required when timeout-policy.database.pooler=transaction"));
        assertThat(DatabaseNotifications.missingNotificationsUrl(PoolerMode.TRANSACTION, Optional.of(" "))).isPresent();
        assertThat(DatabaseNotifications.missingNotificationsUrl(PoolerMode.TRANSACTION,
                Optional.of("postgresql://db:5432/tp"))).isEmpty();
        assertThat(DatabaseNotifications.missingNotificationsUrl(PoolerMode.SESSION, Optional.empty())).isEmpty();
        assertThat(DatabaseNotifications.missingNotificationsUrl(PoolerMode.NONE, Optional.empty())).isEmpty();
    }
}
