package io.timeoutpolicy.platform.database;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * PostgreSQL {@code LISTEN} on one connection of its own (Vert.x {@code PgSubscriber}), so that what one
 * replica announces with {@code NOTIFY} reaches every replica. It connects in the background, retries while
 * the database is away, and listens again by itself after a lost connection.
 */
@ApplicationScoped
public class DatabaseNotifications {

    /** How long to wait before connecting again, after a failed or lost connection. */
    static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final PgSubscriber subscriber;
    private volatile boolean stopped;

    DatabaseNotifications(Vertx vertx, @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        PgConnectOptions options = PgConnectOptions.fromUri(url).setUser(user).setPassword(password.orElse(""));
        this.subscriber = PgSubscriber.subscriber(vertx, options)
                .reconnectPolicy(retries -> RECONNECT_DELAY.toMillis());
    }

    /** Calls {@code handler} (on the event loop) with every payload any session sends on {@code channel}. */
    public void listen(String channel, Consumer<String> handler) {
        subscriber.channel(channel).handler(handler::accept);
        if (subscriber.actualConnection() == null) {
            connect();
        }
    }

    public boolean isListening() {
        return subscriber.actualConnection() != null;
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
        subscriber.close();
    }
}
