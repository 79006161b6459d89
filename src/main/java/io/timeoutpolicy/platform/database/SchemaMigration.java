package io.timeoutpolicy.platform.database;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.flywaydb.core.Flyway;

/**
 * The schema of db/migration, applied by Flyway. A restart against a schema that is already current asks
 * PostgreSQL one question over the reactive client and never loads JDBC or Flyway, which took 14 % of the
 * main thread's start-up when they ran every time (BENCHMARKS.md, "Cold start"). When the schema is
 * behind, Flyway validates and migrates it under its own lock, so replicas starting together are safe.
 */
@ApplicationScoped
public class SchemaMigration {

    /** The newest migration in db/migration; a unit test keeps the two in step. */
    static final int LATEST_VERSION = 7;

    private static final String LOCATION = "classpath:db/migration";

    private final Pool pool;
    private final String migrationUrl;
    private final String user;
    private final String password;

    @Inject
    SchemaMigration(Pool pool, DatabaseConfig config,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String reactiveUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this(pool, MigrationUrl.behind(config.pooler(),
                config.migrationUrl().orElseGet(() -> MigrationUrl.from(reactiveUrl))), user, password.orElse(""));
    }

    SchemaMigration(Pool pool, String migrationUrl, String user, String password) {
        this.pool = pool;
        this.migrationUrl = migrationUrl;
        this.user = user;
        this.password = password;
    }

    /**
     * True when Flyway has applied {@link #LATEST_VERSION} or a newer one (a newer replica's) already. Asked
     * once per bootstrap attempt, by one thread at a time, so a time limit and one retry guard it; a breaker
     * or bulkhead would have nothing to protect.
     */
    @Timeout
    @Retry
    public Uni<Boolean> isCurrent() {
        return pool.query("SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"
                        + " ORDER BY installed_rank DESC LIMIT 1").execute()
                .map(rows -> {
                    var newest = rows.iterator();
                    String version = newest.hasNext() ? newest.next().getString("version") : "none";
                    boolean current = isAtLeastLatest(version);
                    Log.infof("Schema version in the database: %s; newest shipped: %d; %s", version, LATEST_VERSION,
                            current ? "no migration needed" : "migrating");
                    return current;
                })
                .onFailure(SchemaMigration::isUndefinedTable).recoverWithItem(() -> {
                    Log.info("No schema history in the database: migrating");
                    return false;
                });
    }

    /** Validates and migrates over JDBC; blocks, so it runs at start-up or on a worker thread. */
    public void migrate() {
        Flyway.configure()
                .dataSource(migrationUrl, user, password)
                .locations(LOCATION)
                // Transaction-scoped advisory locks (Flyway's default, stated): a session-level lock would outlive
                // its transaction on a server connection a transaction-mode pooler hands to another client.
                .configuration(java.util.Map.of("flyway.postgresql.transactional.lock", "true"))
                .load()
                .migrate();
    }

    private static boolean isAtLeastLatest(String version) {
        try {
            return Integer.parseInt(version) >= LATEST_VERSION;
        } catch (NumberFormatException e) {
            return false; // not one of ours: let Flyway judge
        }
    }

    /** A database that has never been migrated has no history table. */
    private static boolean isUndefinedTable(Throwable failure) {
        return failure instanceof PgException pg && "42P01".equals(pg.getSqlState());
    }
}
