package io.timeoutpolicy.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whether the service reads an environment variable: one named in application.properties
 * ({@code ${DB_HOST:...}}), the environment form of a property (QUARKUS_SHUTDOWN_DELAY for
 * quarkus.shutdown.delay), an API key (TIMEOUT_POLICY_SECURITY_KEYS_name_SHA256 or _ROLES), or one the
 * image's start command reads.
 */
final class ServiceVariables {

    private static final Pattern KEY = Pattern.compile("TIMEOUT_POLICY_SECURITY_KEYS_[A-Z0-9]+_(SHA256|ROLES)");
    private static final Set<String> START_COMMAND = Set.of("JAVA_OPTS", "JAVA_OPTS_APPEND");

    private ServiceVariables() {
    }

    static boolean reads(String variable) {
        return START_COMMAND.contains(variable) || KEY.matcher(variable).matches() || named(variable)
                || propertyForm(variable);
    }

    private static boolean named(String variable) {
        return properties().contains("${" + variable + ":") || properties().contains("${" + variable + "}");
    }

    private static boolean propertyForm(String variable) {
        return properties().lines().map(line -> line.split("=", 2)[0].trim())
                .filter(key -> !key.startsWith("#") && !key.isEmpty())
                .map(key -> key.replaceFirst("^%[a-z]+\\.", ""))
                .anyMatch(key -> key.toUpperCase().replaceAll("[^A-Z0-9]", "_").equals(variable));
    }

    private static String properties() {
        try {
            return Files.readString(Path.of("src/main/resources/application.properties"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
