package io.timeoutpolicy.client.integration;

import io.timeoutpolicy.client.StartupConfig;

/**
 * SPEC 9.2's conversions, pure: seconds served by the service into each manager's unit, integer seconds rounded
 * UP (a timeout is never shortened by its unit), values below a manager's floor raised to it.
 */
public final class Knobs {

    /** HikariCP's floor for connectionTimeout and validationTimeout (com.zaxxer.hikari.timeoutMs.floor). */
    public static final long HIKARI_TIMEOUT_FLOOR_MS = 250;
    /** HikariCP replaces a maxLifetime under 30 s (other than 0, no limit) with its default. */
    public static final long HIKARI_MIN_LIFETIME_MS = 30_000;

    private Knobs() {
    }

    /** {@code seconds} in whole milliseconds (rounded up), at least {@code floorMs}. */
    public static Knob millis(String name, String servedKey, double seconds, long floorMs) {
        long exact = (long) Math.ceil(seconds * 1000 - 1e-6);
        if (exact < floorMs) {
            return new Knob(name, servedKey, seconds, floorMs, "ms", "raised to the floor of " + floorMs + " ms");
        }
        return new Knob(name, servedKey, seconds, exact, "ms",
                exact != seconds * 1000 ? "rounded up to whole milliseconds" : null);
    }

    /** {@code seconds} in whole seconds, rounded UP, at least {@code floorSeconds}. */
    public static Knob wholeSeconds(String name, String servedKey, double seconds, long floorSeconds) {
        long up = (long) Math.ceil(seconds - 1e-9);
        if (up < floorSeconds) {
            return new Knob(name, servedKey, seconds, floorSeconds, "s",
                    "raised to the floor of " + floorSeconds + " s");
        }
        return new Knob(name, servedKey, seconds, up, "s", up != seconds ? "rounded up to whole seconds" : null);
    }

    /** The HikariCP and pgJDBC settings of SPEC 9.2 for {@code config}. */
    public static HikariKnobs hikari(StartupConfig config) {
        Knob connectionTimeout = millis("connectionTimeout", "pool_timeout", config.timeouts().poolTimeout(),
                HIKARI_TIMEOUT_FLOOR_MS);
        Knob validation = millis("validationTimeout", "health_check_timeout",
                config.timeouts().healthCheckTimeout(), HIKARI_TIMEOUT_FLOOR_MS);
        if (validation.applied() >= connectionTimeout.applied()) {
            long below = Math.max(HIKARI_TIMEOUT_FLOOR_MS, connectionTimeout.applied() - 1);
            validation = new Knob(validation.name(), validation.servedKey(), validation.served(), below, "ms",
                    below < connectionTimeout.applied() ? "kept below connectionTimeout (" + connectionTimeout.applied()
                            + " ms)" : "at the floor; cannot be below connectionTimeout (" + connectionTimeout.applied()
                            + " ms)");
        }
        int size = Math.max(1, config.pool().poolSize() + Math.max(0, config.pool().maxOverflow()));
        Knob maximumPoolSize = new Knob("maximumPoolSize", "pool_size + max_overflow", size, size, "connections",
                null);
        long recycleMs = Math.max(0, config.pool().poolRecycle()) * 1000L;
        Knob maxLifetime = recycleMs > 0 && recycleMs < HIKARI_MIN_LIFETIME_MS
                ? new Knob("maxLifetime", "pool_recycle", config.pool().poolRecycle(), HIKARI_MIN_LIFETIME_MS, "ms",
                        "raised to HikariCP's floor of 30000 ms")
                : new Knob("maxLifetime", "pool_recycle", config.pool().poolRecycle(), recycleMs, "ms",
                        recycleMs == 0 ? "0: no limit" : null);
        return new HikariKnobs(connectionTimeout, validation, maximumPoolSize, maxLifetime, pgJdbc(config));
    }

    /** pgJDBC's connectTimeout and loginTimeout (integer seconds, rounded up, at least 1: 0 would mean none). */
    public static PgJdbcKnobs pgJdbc(StartupConfig config) {
        double seconds = config.timeouts().connectionTimeout();
        return new PgJdbcKnobs(wholeSeconds("connectTimeout", "connection_timeout", seconds, 1),
                wholeSeconds("loginTimeout", "connection_timeout", seconds, 1));
    }

    public record HikariKnobs(Knob connectionTimeout, Knob validationTimeout, Knob maximumPoolSize, Knob maxLifetime,
            PgJdbcKnobs pgJdbc) {
    }

    public record PgJdbcKnobs(Knob connectTimeout, Knob loginTimeout) {
    }
}
