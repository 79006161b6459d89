package io.timeoutpolicy.client;

/** Where a start-up configuration came from. */
public enum Source {
    /** The service answered within the budget (and the answer was stored in the cache). */
    SERVICE,
    /** The last answer of the service stored on disk. */
    CACHE,
    /** The built-in defaults of SPEC 3. */
    DEFAULTS
}
