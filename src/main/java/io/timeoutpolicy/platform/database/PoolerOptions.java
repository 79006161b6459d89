package io.timeoutpolicy.platform.database;

import io.vertx.pgclient.PgConnectOptions;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The pool's connect options as Quarkus made them (URL, credentials, TLS), adapted to the pooler in between.
 * Pure: options in, options out.
 *
 * <ul>
 * <li>Through any pooler, only the start-up parameters PgBouncer tracks are sent; every other one (the
 * service's {@code statement_timeout}, the client's {@code extra_float_digits}) makes PgBouncer end the
 * connection with {@code 08P01 unsupported startup parameter} unless it is listed in its
 * {@code ignore_startup_parameters}, and even then it is dropped, not applied.</li>
 * <li>In transaction mode the client uses unnamed statements (no statement cache, Vert.x {@code useLayer7Proxy}):
 * a named one prepared in one transaction is gone, or is another client's, in the next.</li>
 * </ul>
 */
final class PoolerOptions {

    /** The start-up parameters PgBouncer 1.18 accepts without configuration (it keeps them per client). */
    static final Set<String> TRACKED_BY_POOLERS = Set.of("application_name", "client_encoding", "datestyle", "timezone",
            "standard_conforming_strings");

    private PoolerOptions() {
    }

    /** What the pool connects with behind {@code mode}. */
    static PgConnectOptions forPool(PgConnectOptions configured, PoolerMode mode) {
        PgConnectOptions options = new PgConnectOptions(configured);
        if (!mode.isPooled()) {
            return options;
        }
        Map<String, String> sent = new LinkedHashMap<>(configured.getProperties());
        sent.keySet().removeIf(name -> !isTracked(name));
        options.setProperties(sent);
        if (mode.sharesServerConnectionsBetweenTransactions()) {
            // Both: without the cache a statement is prepared unnamed, and useLayer7Proxy parses it again in the
            // transaction that executes it (Parse, Bind, Execute, Sync), wherever the pooler runs that one.
            options.setCachePreparedStatements(false).setUseLayer7Proxy(true);
        }
        return options;
    }

    /**
     * The start-up parameters configured but not sent behind {@code mode}, e.g. {@code statement_timeout}. In
     * session mode they are set on each new connection instead ({@link #settingsStatement}); in transaction mode a
     * session setting would stay on a server connection other clients get, so they are not set at all.
     */
    static Map<String, String> withheld(PgConnectOptions configured, PoolerMode mode) {
        Map<String, String> withheld = new LinkedHashMap<>();
        if (mode.isPooled()) {
            configured.getProperties().forEach((name, value) -> {
                if (!isTracked(name)) {
                    withheld.put(name, value);
                }
            });
        }
        return withheld;
    }

    /**
     * One statement that sets {@code settings} for the session, e.g. {@code SELECT set_config('statement_timeout',
     * '6000', false)}; literals quoted, since configuration, not a user, gives them.
     */
    static String settingsStatement(Map<String, String> settings) {
        StringBuilder sql = new StringBuilder("SELECT ");
        settings.forEach((name, value) -> sql.append(sql.length() > 7 ? ", " : "")
                .append("set_config(").append(literal(name)).append(", ").append(literal(value)).append(", false)"));
        return sql.toString();
    }

    private static boolean isTracked(String name) {
        return TRACKED_BY_POOLERS.contains(name.toLowerCase(Locale.ROOT));
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
