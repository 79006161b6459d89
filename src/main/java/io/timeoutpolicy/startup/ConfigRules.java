package io.timeoutpolicy.startup;

import io.timeoutpolicy.policy.EnvironmentName;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules every property is checked against when the service starts (SPEC 7), collected as
 * "{@code <property> <what is wrong>}" lines, so that one start names every mistake at once. Pure: values in,
 * problems out; {@link ConfigurationCheck} feeds it the configuration and stops the start.
 */
public final class ConfigRules {

    /** The role names of SPEC 6; anything else grants nothing and is a typo. */
    public static final Set<String> ROLES = Set.of("reporter", "deployer", "operator");
    private static final Set<String> LEVELS = Set.of("warning", "critical");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private final List<String> problems = new ArrayList<>();

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /**
     * A key's hash: 64 hexadecimal digits. The value is never repeated in the message: whoever pastes the key
     * itself here must not find it in the log.
     */
    public ConfigRules sha256(String property, String value) {
        String hash = value == null ? "" : value.trim();
        if (!SHA256.matcher(hash).matches()) {
            problems.add(property + " must be 64 hexadecimal digits, the SHA-256 of the key"
                    + " (printf %s \"$KEY\" | sha256sum); it has " + hash.length() + " character(s)"
                    + (hash.isEmpty() ? "" : " and is not shown"));
        }
        return this;
    }

    public ConfigRules roles(String property, Collection<String> roles) {
        if (roles == null || roles.isEmpty()) {
            problems.add(property + " must name at least one role of " + sorted(ROLES));
            return this;
        }
        for (String role : roles) {
            if (!ROLES.contains(role.trim())) {
                problems.add(property + " names the unknown role '" + printable(role) + "'; the roles are "
                        + sorted(ROLES));
            }
        }
        return this;
    }

    /** An absolute http or https URL with a host. */
    public ConfigRules httpUrl(String property, URI url) {
        if (url == null || !url.isAbsolute() || url.getHost() == null
                || !("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()))) {
            problems.add(property + " must be an absolute http:// or https:// URL with a host, not '"
                    + printable(String.valueOf(url)) + "'");
        }
        return this;
    }

    public ConfigRules level(String property, String level) {
        if (level != null && !LEVELS.contains(level.trim().toLowerCase(Locale.ROOT))) {
            problems.add(property + " must be warning or critical, not '" + printable(level) + "'");
        }
        return this;
    }

    public ConfigRules environments(String property, Collection<String> names) {
        if (names == null) {
            return this;
        }
        for (String name : names) {
            if (EnvironmentName.normalize(name).isEmpty()) {
                problems.add(property + " names '" + printable(name) + "', which is no environment name ("
                        + EnvironmentName.FORM + ")");
            }
        }
        return this;
    }

    /** A duration strictly greater than zero (and at most {@code max}). */
    public ConfigRules positive(String property, Duration value, Duration max) {
        if (value == null || value.isNegative() || value.isZero()) {
            problems.add(property + " must be longer than 0, not " + value);
        } else if (max != null && value.compareTo(max) > 0) {
            problems.add(property + " must be at most " + max + ", not " + value);
        }
        return this;
    }

    public ConfigRules notNegative(String property, Duration value) {
        if (value == null || value.isNegative()) {
            problems.add(property + " must not be negative, not " + value);
        }
        return this;
    }

    /** {@code value} no shorter than {@code other}, the value of {@code otherProperty}. */
    public ConfigRules atLeast(String property, Duration value, String otherProperty, Duration other) {
        if (value != null && other != null && value.compareTo(other) < 0) {
            problems.add(property + " (" + value + ") must be at least " + otherProperty + " (" + other + ")");
        }
        return this;
    }

    public ConfigRules range(String property, long value, long min, long max) {
        if (value < min || value > max) {
            problems.add(property + " must be between " + min + " and " + max + ", not " + value);
        }
        return this;
    }

    /** A ratio in (0, 1]. */
    public ConfigRules ratio(String property, double value) {
        if (!(value > 0 && value <= 1)) {
            problems.add(property + " must be greater than 0 and at most 1, not " + value);
        }
        return this;
    }

    /** A value as it may be repeated in a message: control characters would forge log lines. */
    static String printable(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && i < 100; i++) {
            char c = value.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.toString();
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }
}
