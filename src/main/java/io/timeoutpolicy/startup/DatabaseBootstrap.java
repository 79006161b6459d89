package io.timeoutpolicy.startup;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.timeoutpolicy.history.HistoryReplication;
import io.timeoutpolicy.platform.database.DatabaseStatus;
import io.timeoutpolicy.platform.database.SchemaMigration;
import io.timeoutpolicy.platform.database.DatabaseConfig;
import io.timeoutpolicy.policy.PolicyStore;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Migrates the schema (when it is behind), loads the policies and starts the history catch-up. Tried once
 * during start-up, then in the background until it succeeds, so that the service starts (and answers from
 * its built-in policies) without its database. Flyway's own lock makes concurrent replicas safe.
 */
@ApplicationScoped
public class DatabaseBootstrap {

    private final SchemaMigration schema;
    private final PolicyStore policies;
    private final DatabaseStatus status;
    private final DatabaseConfig config;
    private final HistoryReplication history;
    /** The first attempt's schema check and load, begun early in the start; null once awaited. */
    private volatile CompletableFuture<Boolean> early;

    DatabaseBootstrap(SchemaMigration schema, PolicyStore policies, HistoryReplication history, DatabaseStatus status,
            DatabaseConfig config) {
        this.schema = schema;
        this.policies = policies;
        this.history = history;
        this.status = status;
        this.config = config;
    }

    /**
     * The reactive half of the first attempt, begun as the start-up observers begin (just after the configuration
     * check): the schema check and the policies' load run on the event loop while the other observers set up,
     * instead of after them on a cold pool (about 0.4 s of a 1.6 s cold start, BENCHMARKS.md). {@link #onStart}
     * waits for it; a schema behind still migrates there, on this thread, through JDBC.
     */
    void begin(@Observes @Priority(1) StartupEvent event) {
        early = schema.isCurrent()
                .call(current -> current ? policies.seedAndLoad() : Uni.createFrom().voidItem())
                .subscribeAsCompletionStage().toCompletableFuture();
    }

    void onStart(@Observes StartupEvent event) {
        tryBootstrap();
    }

    /** Runs on a worker thread: Flyway is JDBC and blocks. */
    @Scheduled(every = "${timeout-policy.database.bootstrap-retry-interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = SchemaReady.class)
    void retry() {
        tryBootstrap();
    }

    synchronized void tryBootstrap() {
        if (status.isSchemaReady()) {
            return;
        }
        CompletableFuture<Boolean> begun = early;
        early = null;
        try {
            boolean loaded = begun != null && awaitBegun(begun);
            if (!loaded) {
                if (!schema.isCurrent().await().atMost(config.startupWait())) {
                    schema.migrate();
                }
                policies.seedAndLoad().await().atMost(config.startupWait());
            }
            status.markSchemaReady();
            Log.info("Database schema current and policies loaded");
            loadHistory();
        } catch (RuntimeException e) {
            status.markUnavailable(e);
            Log.warnf("Database not ready, serving built-in policies (degraded); retrying every %s: %s",
                    config.bootstrapRetryInterval(), e.getMessage());
        }
    }

    /** True when the begun attempt found the schema current and loaded the policies; its failure is thrown. */
    private boolean awaitBegun(CompletableFuture<Boolean> begun) {
        try {
            return begun.get(config.startupWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            begun.cancel(false);
            throw new IllegalStateException("no answer from the database within " + config.startupWait(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** In the background: the catch-up retries by itself until it is done, and readiness waits for it. */
    private void loadHistory() {
        history.catchUp().subscribe().with(ignored -> { }, failure -> Log.error("History catch-up failed", failure));
    }

    /** Skips the retry once bootstrap has succeeded. */
    @ApplicationScoped
    static class SchemaReady implements Scheduled.SkipPredicate {

        private final DatabaseStatus status;

        SchemaReady(DatabaseStatus status) {
            this.status = status;
        }

        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return status.isSchemaReady();
        }
    }
}
