package io.timeoutpolicy.platform.database;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * Rows PostgreSQL refused for their content (SPEC 7): kept in {@code rejected_rows} with the error, counted
 * ({@code timeout_policy_rejected_rows_total{kind}}) and logged once at ERROR, so that they block nothing
 * behind them and an operator can still see and mend them.
 */
@ApplicationScoped
public class RejectedRows implements WriteBehind.SetAside {

    private final Pool pool;
    private final MeterRegistry registry;

    RejectedRows(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        this.registry = registry;
    }

    /** Keeps {@code payload} (the row as JSON) of {@code kind} (e.g. attempts) with why it was refused. */
    @Override
    @Bulkhead
    @CircuitBreaker
    @Timeout
    public Uni<Void> setAside(String kind, byte[] payload, ContentRefused refused) {
        String row = printable(new String(payload, StandardCharsets.UTF_8));
        String error = printable(String.valueOf(refused.getCause().getMessage()));
        return pool.preparedQuery("INSERT INTO rejected_rows (kind, sql_state, error, payload) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(kind, refused.sqlState(), error, row))
                .invoke(() -> {
                    counter(kind).increment();
                    Log.errorf("The database refused one of the %s for its content (SQLSTATE %s: %s); set aside in"
                            + " rejected_rows, the rest are written: %s", kind, refused.sqlState(), error, row);
                })
                .replaceWithVoid();
    }

    /** Makes the counter exist from the start, so that its series is 0 rather than absent. */
    public void register(String kind) {
        counter(kind);
    }

    private Counter counter(String kind) {
        return Counter.builder("timeout_policy.rejected_rows").tag("kind", kind)
                .description("Rows the database refused for their content, set aside in rejected_rows")
                .register(registry);
    }

    /** Control characters (NUL included, which text columns refuse) as \\uXXXX, so the row itself is storable. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f || (c >= 0xd800 && c <= 0xdfff)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
