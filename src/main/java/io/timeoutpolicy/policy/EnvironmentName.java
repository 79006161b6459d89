package io.timeoutpolicy.policy;

import java.util.Locale;
import java.util.Optional;

/** Environment names are matched case-insensitively and stored lower-case (SPEC 2). */
public final class EnvironmentName {

    /** The allowed form, for error messages. */
    public static final String FORM = "[a-z0-9][a-z0-9_-]{0,63}";

    private EnvironmentName() {
    }

    /** The lower-case name, or empty when the name does not have the allowed form. */
    public static Optional<String> normalize(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String lower = raw.toLowerCase(Locale.ROOT);
        return allowed(lower) ? Optional.of(lower) : Optional.empty();
    }

    /**
     * {@link #FORM} checked by hand: every request names its environment, and a regex matcher per request was
     * visible in the profile of GET …/timeouts (BENCHMARKS.md). EnvironmentNameTests hold the two equal.
     */
    static boolean allowed(String name) {
        int length = name.length();
        if (length == 0 || length > 64) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = name.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!alphanumeric && (i == 0 || (c != '_' && c != '-'))) {
                return false;
            }
        }
        return true;
    }
}
