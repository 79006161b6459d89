package io.timeoutpolicy.quarkus;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.timeoutpolicy.client.integration.Knob;
import io.timeoutpolicy.client.integration.Knobs;
import io.timeoutpolicy.client.integration.PoolReports;
import io.vertx.core.Future;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.spi.ConnectionFactory;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The reactive pool of the default datasource, made by Quarkus through this bean (SPEC 9.2): the connect timeout
 * ({@code PgConnectOptions.connectTimeout}, ms) ← {@code connection_timeout} and the pool's wait
 * ({@code PoolOptions.connectionTimeout}, ms) ← {@code pool_timeout} — Quarkus 3.34 has no property for either —
 * unless set otherwise than Vert.x's defaults (60 s, 30 s); every physical connect reported as {@code connection},
 * the first success as {@code initialization}. Max size and lifetime come through the ConfigSource.
 */
@Singleton
public class TimeoutPolicyPgPoolCreator implements PgPoolCreator {

    private static final Logger LOG = Logger.getLogger("io.timeoutpolicy.client");
    static final int VERTX_DEFAULT_CONNECT_TIMEOUT_MS = 60_000;

    @Override
    @SuppressWarnings("deprecation") // Quarkus 3.34 casts what a PgPoolCreator answers to PgPool
    public Pool create(Input input) {
        List<PgConnectOptions> databases = input.pgConnectOptionsList();
        PoolOptions poolOptions = input.poolOptions();
        QuarkusIntegration quarkus = QuarkusIntegration.current();
        if (quarkus == null) {
            return PgPool.pool(input.vertx(), databases, poolOptions);
        }
        Knob connect = Knobs.millis("connectTimeout", "connection_timeout",
                quarkus.config().timeouts().connectionTimeout(), 1);
        Knob wait = Knobs.millis("connectionTimeout", "pool_timeout", quarkus.config().timeouts().poolTimeout(), 1);
        for (PgConnectOptions options : databases) {
            if (options.getConnectTimeout() == VERTX_DEFAULT_CONNECT_TIMEOUT_MS) {
                options.setConnectTimeout((int) connect.applied());
            }
        }
        if (poolOptions.getConnectionTimeout() == PoolOptions.DEFAULT_CONNECTION_TIMEOUT
                && poolOptions.getConnectionTimeoutUnit() == PoolOptions.DEFAULT_CONNECTION_TIMEOUT_TIME_UNIT) {
            poolOptions.setConnectionTimeout((int) wait.applied()).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        }
        double inForce = databases.get(0).getConnectTimeout() / 1000.0;
        double waitInForce = poolOptions.getConnectionTimeoutUnit().toMillis(poolOptions.getConnectionTimeout()) / 1000.0;
        LOG.info(() -> "timeout-policy: reactive pool of the default datasource: PgConnectOptions.connectTimeout = "
                + (long) (inForce * 1000) + " ms (served connection_timeout " + connect.served()
                + " s), PoolOptions.connectionTimeout = " + (long) (waitInForce * 1000) + " ms (served pool_timeout "
                + wait.served() + " s)");
        PoolReports reports = quarkus.reactive(inForce, waitInForce);
        PgPool pool = PgPool.pool(input.vertx(), databases, poolOptions);
        if (databases.size() != 1) { // the pool's own round robin over several hosts stays untouched
            LOG.info("timeout-policy: the reactive pool has " + databases.size() + " hosts: its connects are not"
                    + " reported");
            return pool;
        }
        ConnectionFactory factory = PgDriver.INSTANCE.createConnectionFactory(input.vertx(), databases.get(0));
        ((io.vertx.core.impl.VertxInternal) input.vertx()).addCloseHook(factory); // closed with Vert.x
        pool.connectionProvider(context -> {
            long start = reports.connectStarting();
            Future<SqlConnection> connecting = factory.connect(context);
            return connecting.onComplete(done -> {
                if (done.succeeded()) {
                    reports.connected(start);
                } else {
                    reports.connectFailed(start, done.cause());
                }
            });
        });
        return pool;
    }
}
