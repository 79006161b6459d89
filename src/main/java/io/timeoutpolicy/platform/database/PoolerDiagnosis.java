package io.timeoutpolicy.platform.database;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the last time a connection pooler refused the service ({@link PoolerRefusal}), for the
 * {@code database} health group, and logs each kind of refusal once at ERROR: the bootstrap retries every few
 * seconds, and the same line every few seconds would hide it rather than say it.
 */
@ApplicationScoped
public class PoolerDiagnosis {

    private final PoolerMode pooler;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();
    private volatile PoolerRefusal current;

    @jakarta.inject.Inject
    PoolerDiagnosis(DatabaseConfig config) {
        this(config.pooler());
    }

    PoolerDiagnosis(PoolerMode pooler) {
        this.pooler = pooler;
    }

    /** Looks at a failed database call; true when it was a pooler's refusal. */
    public boolean observe(Throwable failure) {
        Optional<PoolerRefusal> refusal = PoolerRefusal.of(failure, pooler);
        refusal.ifPresent(found -> {
            current = found;
            if (logged.add(found.advice())) {
                Log.errorf("Refused by the connection pooler: %s", found.describe());
            }
        });
        return refusal.isPresent();
    }

    /** The database answered: whatever was refused is no longer the reason. */
    public void clear() {
        current = null;
    }

    /** The refusal that keeps the database unusable now, if any. */
    public Optional<PoolerRefusal> current() {
        return Optional.ofNullable(current);
    }
}
