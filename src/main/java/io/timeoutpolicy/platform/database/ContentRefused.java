package io.timeoutpolicy.platform.database;

/**
 * PostgreSQL refused a statement for what it carried (SQLSTATE class 22, data exception, or 23, integrity
 * constraint violation), not because it is unreachable: never an outage, never counted by a breaker, never
 * retried (SPEC 7). The fault-tolerance configuration names this class in {@code skip-on} and {@code abort-on}.
 */
public class ContentRefused extends RuntimeException {

    private final String sqlState;

    ContentRefused(String sqlState, Throwable cause) {
        super("The database refused the content (SQLSTATE " + sqlState + "): " + cause.getMessage(), cause);
        this.sqlState = sqlState;
    }

    public String sqlState() {
        return sqlState;
    }
}
