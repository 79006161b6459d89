package io.timeoutpolicy.history;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.platform.ServiceClock;
import io.timeoutpolicy.platform.database.DatabaseConfig;
import io.timeoutpolicy.platform.database.DatabaseHealthCheck;
import io.timeoutpolicy.platform.database.DatabaseStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness (SPEC 7): DOWN only while this replica catches up with a reachable database (schema, policies,
 * the history window), and only for the catch-up limit after its start; UP otherwise, also while the
 * database is down or slow, since every replica shares it. Only the first catch-up counts: a later one (a
 * policy's window grew) runs on every replica at once, so none of them leaves the load balancer for it.
 */
@Readiness
@ApplicationScoped
public class CatchUpReadinessCheck implements AsyncHealthCheck {

    private static final String NAME = "catch-up";

    private final HistoryView view;
    private final HistoryReplication replication;
    private final DatabaseStatus database;
    private final ServiceClock clock;
    private final Duration limit;
    private volatile Instant started;

    CatchUpReadinessCheck(HistoryView view, HistoryReplication replication, DatabaseStatus database,
            ServiceClock clock, DatabaseConfig config) {
        this.view = view;
        this.replication = replication;
        this.database = database;
        this.clock = clock;
        this.limit = config.catchUpLimit();
    }

    void onStart(@Observes StartupEvent event) {
        started = clock.now();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom().item(this::check);
    }

    private HealthCheckResponse check() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                .withData("history_loaded", view.isLoaded())
                .withData("loaded_attempts", replication.loadedAttempts());
        if (view.isLoaded()) {
            return response.up().build();
        }
        if (!database.isReachable()) {
            return response.up().withData("degraded", "database unavailable: "
                    + DatabaseHealthCheck.publicReason(database.unavailableReason()))
                    .build();
        }
        Instant since = started == null ? clock.now() : started;
        if (Duration.between(since, clock.now()).compareTo(limit) >= 0) {
            return response.up().withData("degraded", "still catching up after the catch-up limit " + limit).build();
        }
        return response.down().withData("reason", "catching up with the database").build();
    }
}
