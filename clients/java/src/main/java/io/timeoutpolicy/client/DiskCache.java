package io.timeoutpolicy.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The last answer of the service per environment (and set of pressure indicators), one JSON file each, in the
 * same format and folder as the Python client's. Replaced atomically (a temporary file in the same folder, then
 * an atomic move) so that a reader sees the old answer or the new one, never half of one. Neither method throws:
 * a cache that cannot be read or written is no cache.
 */
final class DiskCache {

    static final int FORMAT = 1;
    private static final Pattern PLAIN = Pattern.compile("^[a-z0-9_-]+$");

    private final Path directory;
    private final ObjectMapper json;

    DiskCache(Path directory, ObjectMapper json) {
        this.directory = directory;
        this.json = json;
    }

    /** A stored answer and its age in seconds. */
    record Entry(JsonNode answer, double ageSeconds) {
    }

    /** {@code $TIMEOUT_POLICY_CACHE_DIR}, else {@code $XDG_CACHE_HOME/timeout-policy}, else
     * {@code ~/.cache/timeout-policy}. */
    static Path defaultDirectory() {
        String configured = System.getenv("TIMEOUT_POLICY_CACHE_DIR");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "timeout-policy");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "timeout-policy");
    }

    Path path(String environment, List<String> pressure) {
        TreeSet<String> names = new TreeSet<>(pressure);
        String name;
        if (names.isEmpty()) {
            name = environment;
        } else if (names.stream().allMatch(n -> PLAIN.matcher(n).matches())) {
            name = environment + "+" + String.join("+", names);
        } else {
            name = environment + "+" + sha256(String.join("\n", names)).substring(0, 16);
        }
        return directory.resolve(name + ".json");
    }

    void store(String environment, List<String> pressure, JsonNode answer) {
        Path target = path(environment, pressure);
        Path temporary = null;
        try {
            Files.createDirectories(directory);
            ObjectNode document = json.createObjectNode().put("format", FORMAT)
                    .put("stored_at", System.currentTimeMillis() / 1000.0);
            document.set("answer", answer);
            temporary = Files.createTempFile(directory, ".tmp-", ".json");
            // No fsync: it can take long on a busy disk, and this runs within the start-up budget.
            Files.write(temporary, json.writeValueAsBytes(document));
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temporary = null;
        } catch (IOException | RuntimeException e) {
            // no cache this time; the next start tries again
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // a stray temporary file is harmless
                }
            }
        }
    }

    /** The stored answer and its age, or null when there is none or it cannot be read. */
    Entry load(String environment, List<String> pressure) {
        try {
            JsonNode document = json.readTree(path(environment, pressure).toFile());
            if (document == null || document.path("format").asInt() != FORMAT || !document.path("answer").isObject()
                    || !document.path("stored_at").isNumber()) {
                return null;
            }
            double age = System.currentTimeMillis() / 1000.0 - document.get("stored_at").asDouble();
            return new Entry(document.get("answer"), Math.max(0.0, age));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
