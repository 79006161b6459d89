package io.timeoutpolicy.platform.http;

import java.util.Arrays;

/** Entity tags of versioned resources: the version number in quotes, e.g. {@code "3"}. */
public final class ETags {

    private ETags() {
    }

    public static String of(int version) {
        return "\"" + version + "\"";
    }

    /**
     * Whether an If-Match header (a list of tags, or *) names this version. Comparison is strong (RFC 9110):
     * a weak tag never matches. A bare number is accepted as the tag it obviously means.
     */
    public static boolean matches(String ifMatch, int version) {
        return Arrays.stream(ifMatch.split(","))
                .map(String::trim)
                .filter(tag -> !tag.startsWith("W/"))
                .map(tag -> tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")
                        ? tag.substring(1, tag.length() - 1) : tag)
                .anyMatch(tag -> tag.equals("*") || tag.equals(Integer.toString(version)));
    }
}
