package io.timeoutpolicy.alerts.delivery;

/** What a receiver is sent (SPEC 4.9); in configuration {@code alertmanager}, {@code json} or {@code slack}. */
public enum Format {
    /** An array of one alert for Alertmanager's {@code POST /api/v2/alerts}. */
    ALERTMANAGER,
    /** The alert document of SPEC 4.7, signed when the receiver has a secret. */
    JSON,
    /** A Slack incoming-webhook message, {@code {"text": …}}: new alerts only, not their repeats. */
    SLACK
}
