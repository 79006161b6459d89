package io.timeoutpolicy.platform.database;

import io.smallrye.mutiny.CompositeException;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;

/**
 * Tells what a failed database call means (SPEC 7): a refusal of the content (SQLSTATE classes 22 and 23)
 * or something else — a connection failure, a timeout, a breaker or bulkhead refusing — which is what
 * "database unavailable" means.
 */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /**
     * {@code call} with a content refusal turned into {@link ContentRefused}; repositories wrap their statements in
     * it inside their guarded methods, so that the breaker and the retry see the difference.
     */
    public static <T> Uni<T> refusingContent(Uni<T> call) {
        return call.onFailure(DatabaseFailures::isContentError).transform(DatabaseFailures::asContentRefused);
    }

    /** True when PostgreSQL refused the statement for its content. */
    public static boolean isContentError(Throwable failure) {
        return sqlStateOf(failure) != null || contentRefused(failure) != null;
    }

    /** True when the failure means the database cannot be reached or does not answer in time. */
    public static boolean isOutage(Throwable failure) {
        return !isContentError(failure);
    }

    /** The {@link ContentRefused} behind {@code failure}, or null. */
    public static ContentRefused contentRefused(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ContentRefused refused) {
                return refused;
            }
            if (t instanceof CompositeException composite) {
                for (Throwable inner : composite.getCauses()) {
                    ContentRefused found = contentRefused(inner);
                    if (found != null) {
                        return found;
                    }
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** {@code failure}, a content refusal, as a {@link ContentRefused}. */
    public static ContentRefused asContentRefused(Throwable failure) {
        ContentRefused already = contentRefused(failure);
        return already != null ? already : new ContentRefused(sqlStateOf(failure), failure);
    }

    private static String sqlStateOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23"))) {
                return pg.getSqlState();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
