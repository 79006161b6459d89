package io.timeoutpolicy.platform.database;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Behind a transaction-mode pooler the service sends no {@code statement_timeout} (docs/pgbouncer.md): the
 * server-side guard must come from the role or the database. Says once at start-up which one the server
 * connections have, and what to do when they have none.
 */
@ApplicationScoped
class PoolerServerTimeout {

    private final Pool pool;
    private final PoolerMode pooler;
    private final String user;

    PoolerServerTimeout(Pool pool, DatabaseConfig config,
            @ConfigProperty(name = "quarkus.datasource.username") String user) {
        this.pool = pool;
        this.pooler = config.pooler();
        this.user = user;
    }

    /** After the bootstrap's first try (default priority), and without holding up the start. */
    void onStart(@Observes @Priority(5000) StartupEvent event) {
        if (pooler != PoolerMode.TRANSACTION) {
            return;
        }
        pool.query("SHOW statement_timeout").execute()
                .map(rows -> rows.iterator().next().getString(0))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).atMost(20)
                .subscribe().with(this::report, failure -> Log.debugf("statement_timeout not read: %s", failure));
    }

    private void report(String timeout) {
        if ("0".equals(timeout)) {
            Log.warnf("Behind a transaction-mode pooler the server-side statement_timeout is 0 (none): a query the"
                    + " service gave up on keeps running in PostgreSQL. Set it for the role: ALTER ROLE \"%s\" SET"
                    + " statement_timeout = '6s' (docs/pgbouncer.md)", user);
        } else {
            Log.infof("Behind a transaction-mode pooler the server-side statement_timeout is %s (the role's or the"
                    + " database's)", timeout);
        }
    }
}
