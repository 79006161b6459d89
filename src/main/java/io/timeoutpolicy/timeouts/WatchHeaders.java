package io.timeoutpolicy.timeouts;

import java.time.Duration;

/** The two headers of a watch (SPEC 10.4), read leniently: what cannot be read means "no watch". */
final class WatchHeaders {

    /** The longest wait a client may ask for (SPEC 10.4). */
    static final long MAX_WAIT_SECONDS = 300;

    private WatchHeaders() {
    }

    /** The version an If-None-Match names (W/"3", "3" or 3, the first of a list); null when none can be read. */
    static Integer version(String ifNoneMatch) {
        if (ifNoneMatch == null) {
            return null;
        }
        String tag = ifNoneMatch.split(",")[0].trim();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
            tag = tag.substring(1, tag.length() - 1);
        }
        try {
            return Integer.valueOf(tag);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code wait=<seconds>} of a Prefer header (RFC 7240), at most 300 s; zero when absent or unreadable. */
    static Duration waitOf(String prefer) {
        if (prefer == null) {
            return Duration.ZERO;
        }
        for (String preference : prefer.split("[,;]")) {
            String[] pair = preference.trim().split("=", 2);
            if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("wait")) {
                try {
                    long seconds = Long.parseLong(pair[1].trim().replace("\"", ""));
                    return Duration.ofSeconds(Math.max(0, Math.min(MAX_WAIT_SECONDS, seconds)));
                } catch (NumberFormatException e) {
                    return Duration.ZERO;
                }
            }
        }
        return Duration.ZERO;
    }
}
