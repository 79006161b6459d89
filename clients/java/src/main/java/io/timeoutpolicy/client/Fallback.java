package io.timeoutpolicy.client;

/**
 * Built-in values for an environment SPEC 3 does not know (one created with PUT …/policy): its base timeouts and
 * Cloud SQL flag, as in its policy. Retry and pool advice take SPEC 3's values for that flag.
 */
public record Fallback(Timeouts baseTimeouts, boolean cloudSql) {
}
