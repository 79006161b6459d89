package io.timeoutpolicy.platform.database;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * PostgreSQL {@code LISTEN} on one connection of its own (Vert.x {@code PgSubscriber}), so that what one
 * replica announces with {@code NOTIFY} reaches every replica. It connects in the background, retries while
 * the database is away, and listens again by itself after a lost connection. It connects with the pool's own
 * options (credentials, TLS), to {@code timeout-policy.database.notifications-url} when one is given: behind a
 * transaction-mode pooler a session lasts one transaction, so {@code LISTEN} needs a direct connection.
 */
@ApplicationScoped
public class DatabaseNotifications {

    /** How long to wait before connecting again, after a failed or lost connection. */
    static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);
    /** How soon to look again for the pool's options when the pool was not made yet. */
    static final Duration POOL_WAIT = Duration.ofMillis(100);
    static final String POOLER = "timeout-policy.database.pooler";
    static final String NOTIFICATIONS_URL = "timeout-policy.database.notifications-url";

    private final Vertx vertx;
    private final Pool pool;
    private final PoolWithoutAcquireTimer poolCreator;
    private final DatabaseConfig config;
    private volatile PgSubscriber subscriber;
    private volatile boolean stopped;
    private final java.util.Map<String, Consumer<String>> handlers = new java.util.concurrent.ConcurrentHashMap<>();

    DatabaseNotifications(Vertx vertx, Pool pool, PoolWithoutAcquireTimer poolCreator, DatabaseConfig config) {
        this.vertx = vertx;
        this.pool = pool;
        this.poolCreator = poolCreator;
        this.config = config;
    }

    /**
     * Why this configuration cannot listen, if it cannot: one line naming the property, for the start-up check
     * that stops the start (startup/ConfigurationCheck).
     */
    public static Optional<String> missingNotificationsUrl(PoolerMode pooler, Optional<String> notificationsUrl) {
        if (pooler != PoolerMode.TRANSACTION || notificationsUrl.filter(url -> !url.isBlank()).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(NOTIFICATIONS_URL + " (env TIMEOUT_POLICY_DATABASE_NOTIFICATIONS_URL) is required when "
                + POOLER + "=transaction: LISTEN cannot work through a transaction-mode pooler, so alerts would not"
                + " reach the other replicas. Set it to a direct PostgreSQL URL, e.g. postgresql://db-primary:5432/"
                + "timeout_policy (docs/pgbouncer.md)");
    }

    /**
     * Tells every replica listening on {@code channel} (PostgreSQL {@code NOTIFY}, through the pool: a
     * notification needs no session of its own); the payload is at most 8 000 bytes.
     */
    @Bulkhead
    @CircuitBreaker
    @Timeout
    public Uni<Void> announce(String channel, String payload) {
        return pool.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(channel, payload)).replaceWithVoid();
    }

    /** Calls {@code handler} (on the event loop) with every payload any session sends on {@code channel}. */
    public synchronized void listen(String channel, Consumer<String> handler) {
        handlers.put(channel, handler);
        subscribe();
    }

    /**
     * Subscribes every channel asked for. The connection copies the pool's options, and Quarkus makes the pool
     * on its first use: a listener registered at start-up (before any query) first makes it be used, then tries
     * again shortly.
     */
    private synchronized void subscribe() {
        if (stopped) {
            return;
        }
        if (subscriber == null) {
            io.vertx.pgclient.PgConnectOptions options = poolOptions();
            if (options == null) {
                pool.query("SELECT 1").execute().subscribe().with(ignored -> { }, ignored -> { });
                vertx.setTimer(POOL_WAIT.toMillis(), timer -> subscribe());
                return;
            }
            subscriber = PgSubscriber.subscriber(vertx, NotificationsOptions.from(options, config.notificationsUrl()))
                    .reconnectPolicy(retries -> RECONNECT_DELAY.toMillis());
        }
        handlers.forEach((channel, handler) -> subscriber.channel(channel).handler(handler::accept));
        if (subscriber.actualConnection() == null) {
            connect();
        }
    }

    public boolean isListening() {
        PgSubscriber current = subscriber;
        return current != null && current.actualConnection() != null;
    }

    /** The pool's options as Quarkus made them; asking the pool for its delegate makes sure it exists. */
    private io.vertx.pgclient.PgConnectOptions poolOptions() {
        pool.getDelegate();
        return poolCreator.connectOptions();
    }

    private void connect() {
        subscriber.connect().onFailure(failure -> {
            if (!stopped) {
                Log.debugf("Listening for notifications failed, trying again: %s", failure.getMessage());
                vertx.setTimer(RECONNECT_DELAY.toMillis(), timer -> connect());
            }
        });
    }

    void onShutdown(@Observes ShutdownEvent event) {
        stopped = true;
        PgSubscriber current = subscriber;
        if (current != null) {
            current.close();
        }
    }
}
