package io.timeoutpolicy.timeouts;

import io.timeoutpolicy.platform.problem.ProblemException;
import io.timeoutpolicy.policy.InputLimits;

/** The instance a request names (SPEC 10.2): {@code ?instance=} first, else the header; checked like any text. */
final class Instances {

    private Instances() {
    }

    static String of(String query, String header) {
        String instance = query != null && !query.isBlank() ? query : header;
        if (instance == null || instance.isBlank()) {
            return null;
        }
        if (instance.length() > InputLimits.MAX_TEXT || instance.indexOf('\0') >= 0) {
            throw ProblemException.invalidField("instance", "must be at most " + InputLimits.MAX_TEXT
                    + " characters without NUL");
        }
        return instance;
    }
}
