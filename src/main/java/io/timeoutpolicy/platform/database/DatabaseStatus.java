package io.timeoutpolicy.platform.database;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the service last learned about its own database: whether the schema is migrated and whether
 * the last call succeeded. Answers computed from memory say {@code degraded} while it is not healthy.
 */
@ApplicationScoped
public class DatabaseStatus {

    private final PoolerDiagnosis pooler;
    private volatile boolean schemaReady;
    private final AtomicReference<String> unavailableReason = new AtomicReference<>("not connected yet");

    @jakarta.inject.Inject
    DatabaseStatus(PoolerDiagnosis pooler) {
        this.pooler = pooler;
    }

    /** For tests without a container: no pooler in between. */
    public DatabaseStatus() {
        this(new PoolerDiagnosis(PoolerMode.NONE));
    }

    public boolean isSchemaReady() {
        return schemaReady;
    }

    public boolean isHealthy() {
        return schemaReady && unavailableReason.get() == null;
    }

    /** True when the last call to the database succeeded (the schema may still be behind). */
    public boolean isReachable() {
        return unavailableReason.get() == null;
    }

    /** Why the database is not usable, or null when it is. */
    public String unavailableReason() {
        return schemaReady ? unavailableReason.get() : "schema not migrated yet: " + unavailableReason.get();
    }

    public void markSchemaReady() {
        schemaReady = true;
        markAvailable();
    }

    public void markAvailable() {
        String previous = unavailableReason.getAndSet(null);
        pooler.clear();
        if (previous != null && schemaReady) {
            Log.infof("Database available again (was: %s)", previous);
        }
    }

    public void markUnavailable(Throwable failure) {
        pooler.observe(failure);
        String reason = failure.getClass().getSimpleName()
                + (failure.getMessage() != null ? ": " + failure.getMessage() : "");
        String previous = unavailableReason.getAndSet(reason);
        if (previous == null) {
            Log.warnf("Database unavailable: %s", reason);
        }
    }
}
