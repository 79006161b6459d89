package io.timeoutpolicy.policy;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Environment names are matched case-insensitively and stored lower-case (SPEC 2). */
public final class EnvironmentName {

    private static final Pattern ALLOWED = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

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
        return ALLOWED.matcher(lower).matches() ? Optional.of(lower) : Optional.empty();
    }
}
