package io.timeoutpolicy.client.integration;

import java.lang.reflect.Method;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;

/**
 * The one place where a failed connect becomes a SPEC 9.1 failure type, for every integration (pgJDBC, HikariCP,
 * Agroal, the Vert.x reactive client). Decided from what the driver threw, walking its causes: the server's own
 * SQLSTATE first (class 28: it answered, and refused the credentials), then SSL, name resolution, time-outs and
 * refused connects. {@code reachedTimeout} says the attempt lasted as long as the timeout in force: a driver that
 * says only "could not connect" (in the reader's language) after exactly its timeout has timed out.
 */
public final class FailureTypes {

    public static final String DATABASE_TIMEOUT = "database_timeout";
    public static final String CONNECTION_REFUSED = "connection_refused";
    public static final String AUTHENTICATION_FAILED = "authentication_failed";
    public static final String DNS_FAILURE = "dns_failure";
    public static final String SSL_FAILURE = "ssl_failure";
    public static final String UNKNOWN = "unknown";

    private FailureTypes() {
    }

    /** The failure type of {@code error}; never null. */
    public static String classify(Throwable error, boolean reachedTimeout) {
        Set<Throwable> chain = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = error; t != null && chain.add(t); t = t.getCause()) {
            // collected: the checks below look at the whole chain, most telling kind first
        }
        for (Throwable t : chain) {
            String state = sqlState(t);
            if (state != null && state.startsWith("28")) {
                return AUTHENTICATION_FAILED;
            }
        }
        for (Throwable t : chain) {
            if (t instanceof javax.net.ssl.SSLException || mentionsSsl(t)) {
                return SSL_FAILURE;
            }
        }
        for (Throwable t : chain) {
            if (t instanceof UnknownHostException) {
                return DNS_FAILURE;
            }
        }
        for (Throwable t : chain) {
            if (isTimeout(t)) {
                return DATABASE_TIMEOUT;
            }
        }
        for (Throwable t : chain) {
            if ((t instanceof ConnectException || t instanceof NoRouteToHostException) && !isTimeout(t)) {
                return CONNECTION_REFUSED;
            }
        }
        return reachedTimeout ? DATABASE_TIMEOUT : UNKNOWN;
    }

    /** True when a failure lasting {@code elapsedNanos} used up a timeout of {@code timeoutSeconds} (5 % slack). */
    public static boolean reached(long elapsedNanos, Double timeoutSeconds) {
        return timeoutSeconds != null && timeoutSeconds > 0 && elapsedNanos >= timeoutSeconds * 0.95e9;
    }

    private static boolean isTimeout(Throwable t) {
        if (t instanceof SocketTimeoutException || t instanceof java.util.concurrent.TimeoutException
                || t instanceof java.sql.SQLTimeoutException) {
            return true;
        }
        String name = t.getClass().getSimpleName();
        String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
        // Netty's ConnectTimeoutException, pgJDBC's "Connection attempt timed out.", HikariCP's "request timed out"
        return name.contains("Timeout") || message.contains("timed out") || message.contains("timeout");
    }

    /** pgJDBC's "The server does not support SSL." (08004), Vert.x's "… does not handle SSL connection". */
    private static boolean mentionsSsl(Throwable t) {
        String message = t.getMessage();
        return message != null && (message.contains(" SSL") || message.startsWith("SSL"))
                && !message.contains("SSL off"); // PostgreSQL's pg_hba refusal names "SSL off" among its reasons
    }

    /**
     * SQLException's state, or a {@code getSqlState()} of another driver's exception (the reactive client's
     * DatabaseException/PgException; looked up by name: that driver is optional here).
     */
    private static String sqlState(Throwable t) {
        if (t instanceof SQLException sql) {
            return sql.getSQLState();
        }
        if (!(t instanceof java.io.IOException)) {
            try {
                Method method = t.getClass().getMethod("getSqlState");
                Object state = method.invoke(t);
                return state == null ? null : state.toString();
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null; // no such method: not a database's answer
            }
        }
        return null;
    }
}
