package io.timeoutpolicy.quarkus;

import static org.assertj.core.api.Assertions.assertThat;

import io.timeoutpolicy.client.integration.FailureTypes;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.SslMode;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The one classification (FailureTypes) on what the Vert.x reactive PostgreSQL client really throws. */
class ReactiveFailureTypesTest {

    static final Vertx VERTX = Vertx.vertx();

    @AfterAll
    static void close() {
        VERTX.close();
    }

    @Test
    void refused_dns_ssl_and_unknown_from_the_reactive_client() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0)) {
            closed = probe.getLocalPort();
        }
        assertThat(classify(options().setPort(closed))).isEqualTo("connection_refused");
        assertThat(classify(options().setHost("nohost.invalid"))).isEqualTo("dns_failure");
        assertThat(classify(options().setSslMode(SslMode.REQUIRE))).isEqualTo("ssl_failure");
        assertThat(classify(options().setDatabase("no_such_database_here"))).isEqualTo("unknown");
    }

    @Test
    void a_connect_timeout_from_the_reactive_client_is_database_timeout() throws Exception {
        // A listening socket whose backlog is full and that never accepts: the kernel drops further SYNs, so the
        // TCP connect itself times out after connectTimeout (Netty's ConnectTimeoutException).
        try (ServerSocket full = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.util.List<java.net.Socket> filling = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    java.net.Socket s = new java.net.Socket();
                    try {
                        s.connect(full.getLocalSocketAddress(), 200);
                        filling.add(s);
                    } catch (java.io.IOException backlogFull) {
                        s.close();
                        break;
                    }
                }
                assertThat(classify(options().setPort(full.getLocalPort()).setConnectTimeout(500)))
                        .isEqualTo("database_timeout");
            } finally {
                for (java.net.Socket s : filling) {
                    s.close();
                }
            }
        }
    }

    @Test
    void the_servers_refusal_of_a_password_is_authentication_failed() {
        // what the reactive client raises for PostgreSQL's ErrorResponse to a wrong password
        var refused = new io.vertx.pgclient.PgException("password authentication failed for user \"app\"", "FATAL",
                "28P01", null);
        assertThat(FailureTypes.classify(refused, false)).isEqualTo("authentication_failed");
    }

    private static PgConnectOptions options() {
        return new PgConnectOptions().setHost("127.0.0.1").setPort(5432).setUser("postgres").setDatabase("postgres");
    }

    private static String classify(PgConnectOptions options) throws Exception {
        Throwable failure = PgConnection.connect(VERTX, options).toCompletionStage().toCompletableFuture()
                .handle((connection, error) -> {
                    if (connection != null) {
                        connection.close();
                    }
                    return error;
                }).get(20, TimeUnit.SECONDS);
        assertThat(failure).as("the connect failed").isNotNull();
        System.out.println(options.getHost() + ":" + options.getPort() + " → " + failure);
        return FailureTypes.classify(failure, false);
    }
}
