package io.timeoutpolicy.platform;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
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
 * PostgreSQL one question over the reactive client and never loads JDBC or Flyway: on this service's
 * start-up profile they were a sixth of the time to the first answer (BENCHMARKS.md). When the schema is
 * behind, Flyway validates and migrates it under its own lock, so replicas starting together are safe.
 */
@ApplicationScoped
public class SchemaMigration {

    /** The newest migration in db/migration; a unit test keeps the two in step. */
    static final int LATEST_VERSION = 5;

    static final String LOCATION = "classpath:db/migration";

    private final Pool pool;
    private final String migrationUrl;
    private final String user;
    private final String password;

    @Inject
    SchemaMigration(Pool pool, ServiceConfig config,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this(pool, config.database().migrationUrl(), user, password.orElse(""));
    }

    SchemaMigration(Pool pool, String migrationUrl, String user, String password) {
        this.pool = pool;
        this.migrationUrl = migrationUrl;
        this.user = user;
        this.password = password;
    }

    /** True when Flyway has applied {@link #LATEST_VERSION} or a newer one (a newer replica's) already. */
    @Timeout
    @Retry
    public Uni<Boolean> isCurrent() {
        return pool.query("SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"
                        + " ORDER BY installed_rank DESC LIMIT 1").execute()
                .map(rows -> {
                    var newest = rows.iterator();
                    return newest.hasNext() && isAtLeastLatest(newest.next());
                })
                .onFailure(SchemaMigration::isUndefinedTable).recoverWithItem(false);
    }

    /** Validates and migrates over JDBC; blocks, so it runs at start-up or on a worker thread. */
    public void migrate() {
        Flyway.configure()
                .dataSource(migrationUrl, user, password)
                .locations(LOCATION)
                .load()
                .migrate();
    }

    private static boolean isAtLeastLatest(Row newest) {
        try {
            return Integer.parseInt(newest.getString("version")) >= LATEST_VERSION;
        } catch (NumberFormatException e) {
            return false; // not one of ours: let Flyway judge
        }
    }

    /** A database that has never been migrated has no history table. */
    private static boolean isUndefinedTable(Throwable failure) {
        return failure instanceof PgException pg && "42P01".equals(pg.getSqlState());
    }
}
