package io.timeoutpolicy.platform.database;

import io.quarkus.logging.Log;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/**
 * The reactive pool as Quarkus configures it, without the pool's own wait-for-a-connection timer, and adapted
 * to a connection pooler in between ({@link PoolerOptions}). The timer is not cancelled when acquiring a
 * connection fails (vertx-sql-client issue 1706, open in 4.5): every query refused while the database is down
 * then logs {@code IllegalStateException: Result is already complete} at ERROR 30 s later, after the caller was
 * already told. Every call is bounded by its fault-tolerance {@code @Timeout} (1.5 s by default) instead, and the
 * wait queue is bounded so that a stalled database refuses new work at once rather than queueing it without end.
 */
@Singleton
public class PoolWithoutAcquireTimer implements PgPoolCreator {

    /** Queries waiting for a connection beyond these are refused (the fault-tolerance layer answers 503). */
    static final int MAX_WAITING = 1000;

    private final PoolerMode pooler;
    private volatile PgConnectOptions connectOptions;

    PoolWithoutAcquireTimer(DatabaseConfig config) {
        this.pooler = config.pooler();
    }

    @Override
    public Pool create(Input input) {
        PoolOptions options = new PoolOptions(input.poolOptions()).setConnectionTimeout(0)
                .setMaxWaitQueueSize(MAX_WAITING);
        List<PgConnectOptions> configured = input.pgConnectOptionsList();
        List<SqlConnectOptions> databases = configured.stream()
                .map(database -> (SqlConnectOptions) PoolerOptions.forPool(database, pooler)).toList();
        connectOptions = (PgConnectOptions) databases.get(0);
        Map<String, String> withheld = PoolerOptions.withheld(configured.get(0), pooler);
        var builder = PgBuilder.pool().with(options).connectingTo(databases).using(input.vertx());
        if (pooler == PoolerMode.SESSION && !withheld.isEmpty()) {
            // A session keeps its server connection: what could not be a start-up parameter is set once per connection.
            String settings = PoolerOptions.settingsStatement(withheld);
            builder.withConnectHandler(connection -> connection.query(settings).execute().onComplete(done -> {
                if (done.failed()) {
                    Log.warnf("Session settings not applied (%s): %s", settings, done.cause().getMessage());
                }
                connection.close();
            }));
        }
        if (pooler.isPooled()) {
            Log.infof("Connecting through a connection pooler in %s mode%s; start-up parameters not sent: %s%s",
                    pooler.name().toLowerCase(java.util.Locale.ROOT),
                    pooler.sharesServerConnectionsBetweenTransactions() ? " with unnamed statements" : "",
                    withheld.isEmpty() ? "none" : withheld,
                    pooler == PoolerMode.TRANSACTION && !withheld.isEmpty()
                            ? " (a server-side statement_timeout must then come from the role or the database,"
                                    + " docs/pgbouncer.md)"
                            : pooler == PoolerMode.SESSION ? " (set on each new connection instead)" : "");
        }
        return builder.build();
    }

    /**
     * The options of the first database the pool connects to (after the pooler's adaptation), for connections
     * of its own that must share its credentials and TLS settings; null until the pool is created.
     */
    PgConnectOptions connectOptions() {
        return connectOptions;
    }
}
