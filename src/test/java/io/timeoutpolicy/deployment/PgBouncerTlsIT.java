package io.timeoutpolicy.deployment;

import static io.timeoutpolicy.TestEnvironments.attempt;
import static org.assertj.core.api.Assertions.assertThat;

import io.timeoutpolicy.PackagedJar;
import io.timeoutpolicy.TestDatabase;
import io.timeoutpolicy.TestStreams;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The LISTEN connection is configured from the same datasource settings as the pool, TLS included: TLS given as
 * {@code quarkus.datasource.reactive.*} properties (not in the URL), in front of a PgBouncer that accepts TLS
 * clients only. An alert raised on one replica reaches the other's stream only if its LISTEN connection, which
 * goes through PgBouncer in session mode, speaks TLS too.
 */
class PgBouncerTlsIT {

    private static final String KEY = "pgbouncer-tls-key";

    @Test
    void the_listen_connection_uses_the_pools_tls_settings() throws Exception {
        String database = TestDatabase.name() + "_pgbouncer_tls";
        TestDatabase.recreate(database);
        try (PgBouncer bouncer = PgBouncer.start("session", true)) {
            CompletableFuture<PackagedJar> first = CompletableFuture.supplyAsync(() -> start("tls-a", bouncer, database));
            CompletableFuture<PackagedJar> second = CompletableFuture.supplyAsync(() -> start("tls-b", bouncer, database));
            try (PackagedJar a = first.join(); PackagedJar b = second.join()) {
                for (PackagedJar replica : List.of(a, b)) {
                    replica.await("/q/health/group/database", r -> r.statusCode() == 200, Duration.ofSeconds(60));
                }
                try (TestStreams other = TestStreams.open(URI.create(b.url("/api/v1/alerts/stream?environment=development")))) {
                    a.post("/api/v1/attempts", KEY, attempt("development", 19.9, false));
                    assertThat(other.next("alert", Duration.ofSeconds(5))).contains("\"environment\":\"development\"");
                }
                List<String> tls = bouncer.clientTls(database);
                assertThat(tls).as("each replica's pool and LISTEN connections").hasSizeGreaterThanOrEqualTo(4)
                        .allSatisfy(version -> assertThat(version).startsWith("TLSv1"));
                assertThat(a.log() + b.log()).doesNotContain("ERROR").doesNotContain("Database unavailable");
            }
        }
    }

    private static PackagedJar start(String name, PgBouncer bouncer, String database) {
        try {
            return PackagedJar.start(name, new ArrayList<>(List.of(
                    "-Dquarkus.datasource.reactive.url=" + bouncer.reactiveUrl(database),
                    "-Dquarkus.datasource.reactive.postgresql.ssl-mode=require",
                    "-Dquarkus.datasource.reactive.trust-all=true",
                    "-Dquarkus.datasource.reactive.max-size=4",
                    "-Dtimeout-policy.database.pooler=session",
                    "-Dtimeout-policy.security.keys.it.sha256=" + PackagedJar.sha256(KEY),
                    "-Dtimeout-policy.security.keys.it.roles=reporter,deployer,operator")), Duration.ofSeconds(90));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
