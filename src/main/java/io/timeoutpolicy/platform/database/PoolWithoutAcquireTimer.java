package io.timeoutpolicy.platform.database;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The reactive pool as Quarkus configures it, without the pool's own wait-for-a-connection timer. That timer
 * is not cancelled when acquiring a connection fails (vertx-sql-client issue 1706, open in 4.5): every query
 * refused while the database is down then logs {@code IllegalStateException: Result is already complete} at
 * ERROR 30 s later, after the caller was already told. Every call is bounded by its fault-tolerance
 * {@code @Timeout} (1.5 s by default) instead, and the wait queue is bounded so that a stalled database
 * refuses new work at once rather than queueing it without end.
 */
@Singleton
public class PoolWithoutAcquireTimer implements PgPoolCreator {

    /** Queries waiting for a connection beyond these are refused (the fault-tolerance layer answers 503). */
    static final int MAX_WAITING = 1000;

    @Override
    public Pool create(Input input) {
        PoolOptions options = new PoolOptions(input.poolOptions()).setConnectionTimeout(0)
                .setMaxWaitQueueSize(MAX_WAITING);
        List<SqlConnectOptions> databases = List.copyOf(input.pgConnectOptionsList());
        return PgBuilder.pool().with(options).connectingTo(databases).using(input.vertx()).build();
    }
}
