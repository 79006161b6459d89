package io.timeoutpolicy.platform.database;

import io.vertx.pgclient.PgException;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A failure that is no outage but a connection pooler refusing how the service talks to the database, with what
 * to configure. It does not pass by itself: retrying never helps, so it is said once, loudly, and shown in the
 * {@code database} health group. Pure: a failure in, a refusal out.
 *
 * @param sqlState the SQLSTATE the pooler or PostgreSQL answered
 * @param message their words
 * @param advice what to configure
 */
public record PoolerRefusal(String sqlState, String message, String advice) {

    private static final Pattern STARTUP_PARAMETER = Pattern.compile("unsupported startup parameter: (\\S+)");

    /** The refusal among {@code failure} and its causes, if one of them is. */
    public static Optional<PoolerRefusal> of(Throwable failure, PoolerMode pooler) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            Optional<PoolerRefusal> refusal = classify(cause, pooler);
            if (refusal.isPresent()) {
                return refusal;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return Optional.empty();
    }

    private static Optional<PoolerRefusal> classify(Throwable failure, PoolerMode pooler) {
        String state;
        String message;
        if (failure instanceof PgException pg) {
            state = pg.getSqlState();
            message = pg.getErrorMessage();
        } else if (failure instanceof SQLException sql) {
            state = sql.getSQLState();
            message = sql.getMessage();
        } else {
            return Optional.empty();
        }
        if (state == null || message == null) {
            return Optional.empty();
        }
        Matcher parameter = STARTUP_PARAMETER.matcher(message);
        if ("08P01".equals(state) && parameter.find()) {
            return Optional.of(new PoolerRefusal(state, message, startupParameterAdvice(parameter.group(1), pooler)));
        }
        if (isNamedStatementCollision(state, message)) {
            return Optional.of(new PoolerRefusal(state, message, pooler.sharesServerConnectionsBetweenTransactions()
                    ? "Prepared statements collide on the pooler's shared server connections although "
                            + DatabaseNotifications.POOLER + "=transaction: check that the service's own migration"
                            + " URL (timeout-policy.database.migration-url) does not set prepareThreshold"
                    : "Named prepared statements collide on the server connections a connection pooler shares"
                            + " between clients: set " + DatabaseNotifications.POOLER + "=transaction"
                            + " (docs/pgbouncer.md)"));
        }
        return Optional.empty();
    }

    private static String startupParameterAdvice(String parameter, PoolerMode pooler) {
        if (!pooler.isPooled()) {
            return "A connection pooler refuses the start-up parameter " + parameter + ": set "
                    + DatabaseNotifications.POOLER + "=transaction (or session, after the pooler's pool_mode), so"
                    + " that the service sends none it refuses (docs/pgbouncer.md)";
        }
        // Behind a pooler the reactive client sends none; the one left is pgJDBC's (Flyway) extra_float_digits.
        return "The connection pooler refuses the start-up parameter " + parameter + ", which the JDBC driver that"
                + " migrates the schema always sends: add it to the pooler's ignore_startup_parameters (PgBouncer:"
                + " ignore_startup_parameters = extra_float_digits), or migrate over a direct connection with"
                + " timeout-policy.database.migration-url (docs/pgbouncer.md)";
    }

    /**
     * 42P05 (a name prepared twice), 26000 (a name not prepared on this server connection) and 08P01 with a
     * statement's parameters counted for another one: what a pooler that shares server connections does to named
     * statements.
     */
    private static boolean isNamedStatementCollision(String state, String message) {
        return ("42P05".equals(state) || "26000".equals(state) || "08P01".equals(state))
                && message.toLowerCase(Locale.ROOT).contains("prepared statement");
    }

    /** One line for the log and the health data. */
    public String describe() {
        return advice + " [" + sqlState + ": " + message + "]";
    }
}
