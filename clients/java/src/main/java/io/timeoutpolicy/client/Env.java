package io.timeoutpolicy.client;

import java.util.logging.Logger;

/** The client's environment variables: blank is unset, a bad number is logged and replaced by the default. */
final class Env {

    private static final Logger LOG = Logger.getLogger("io.timeoutpolicy.client");

    private Env() {
    }

    static String text(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    static int positive(String variable, int otherwise) {
        String value = text(System.getenv(variable));
        if (value == null) {
            return otherwise;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= 1) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // logged below
        }
        LOG.warning(() -> "timeout-policy: " + variable + "=" + value + " is not a positive integer; " + otherwise
                + " is used");
        return otherwise;
    }
}
