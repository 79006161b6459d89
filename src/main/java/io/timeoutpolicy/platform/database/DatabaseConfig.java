package io.timeoutpolicy.platform.database;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;
import java.util.Optional;

/** The service's own database: start-up against one that may not be there yet, and migration. */
@ConfigMapping(prefix = "timeout-policy.database")
public interface DatabaseConfig {

    /** How long start-up waits for the first migration and policy load. */
    Duration startupWait();

    /** How often migration and loading are tried again while the database is unreachable. */
    Duration bootstrapRetryInterval();

    /**
     * How long after the start readiness may stay DOWN while this replica catches up with a reachable
     * database (schema, policies, the history window); after it the replica is ready and answers
     * {@code degraded} until the catch-up is done.
     */
    Duration catchUpLimit();

    /**
     * JDBC URL for Flyway, which runs only while the schema is behind. When absent it is made from
     * {@code quarkus.datasource.reactive.url} (host, port, database, TLS mode) with a 3 s connect timeout.
     */
    Optional<String> migrationUrl();

    /**
     * What stands between the service and PostgreSQL: {@code none}, or a connection pooler such as PgBouncer in
     * {@code transaction} or {@code session} mode (docs/pgbouncer.md). Behind a pooler no start-up parameter it
     * refuses is sent, Flyway uses no server-side prepared statements, and in transaction mode the reactive
     * client uses unnamed statements. Defaults to {@code none}.
     */
    PoolerMode pooler();

    /**
     * URL of a direct connection to PostgreSQL (not through the pooler) for {@code LISTEN}, e.g.
     * {@code postgresql://db-primary:5432/timeout_policy}; the pool's credentials and TLS settings apply unless the
     * URL states its own. Required when {@link #pooler()} is {@code transaction}, where {@code LISTEN} cannot work;
     * otherwise {@code LISTEN} uses {@code quarkus.datasource.reactive.url} when it is absent.
     */
    Optional<String> notificationsUrl();
}
