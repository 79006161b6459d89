package io.timeoutpolicy.recording;

import io.timeoutpolicy.history.StoredAttempt;
import java.util.List;

/**
 * What became of a request's attempts: stored now (the rows that were new), or accepted into the
 * write-behind buffer while the database is unavailable (written, and deduplicated, once it is back).
 */
public record WriteResult(List<StoredAttempt> stored, boolean buffered) {
}
