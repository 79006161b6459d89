package io.timeoutpolicy.platform.database;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * The cheapest round trip to PostgreSQL, for readiness. Guarded so that a hanging database makes the
 * probe fail in bounded time, and a dead one fails it at once (breaker open) instead of piling up.
 */
@ApplicationScoped
public class DatabaseProbe {

    private final Pool pool;

    DatabaseProbe(Pool pool) {
        this.pool = pool;
    }

    /**
     * One {@code SELECT 1}. Timeout 1 s, not the global 1.5 s: a health probe answers well within the
     * probe timeouts that load balancers and Kubernetes give it.
     */
    @CircuitBreaker
    @Timeout
    public Uni<Void> ping() {
        return pool.query("SELECT 1").execute().replaceWithVoid();
    }
}
