package io.timeoutpolicy.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** What the deployment files say: YAML documents, and the defaults in application.properties. */
final class Manifests {

    private static final YAMLMapper YAML = new YAMLMapper();

    private Manifests() {
    }

    /** Every document of a (multi-document) YAML file. */
    static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (var values = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (values.hasNext()) {
                documents.add((JsonNode) values.next());
            }
        }
        return documents;
    }

    /** The one document of this kind (and name, when given). */
    static JsonNode object(List<JsonNode> documents, String kind, String name) {
        List<JsonNode> matching = documents.stream()
                .filter(d -> kind.equals(d.path("kind").asText()))
                .filter(d -> name == null || name.equals(d.path("metadata").path("name").asText()))
                .toList();
        if (matching.size() != 1) {
            throw new AssertionError(matching.size() + " objects of kind " + kind + " named " + name);
        }
        return matching.get(0);
    }

    static Properties applicationProperties() throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            properties.load(reader);
        }
        return properties;
    }

    /** A default duration of application.properties, written like {@code 5s} or {@code 500ms}. */
    static Duration duration(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new AssertionError(key + " is not in application.properties");
        }
        return value.endsWith("ms") ? Duration.ofMillis(Long.parseLong(value.replace("ms", "")))
                : Duration.parse("PT" + value.toUpperCase());
    }

    /** Mebibytes of a Kubernetes quantity such as {@code 1536Mi} or {@code 2Gi}. */
    static long mebibytes(String quantity) {
        if (quantity.endsWith("Gi")) {
            return Long.parseLong(quantity.replace("Gi", "")) * 1024;
        }
        if (quantity.endsWith("Mi")) {
            return Long.parseLong(quantity.replace("Mi", ""));
        }
        throw new AssertionError("Not a Mi or Gi quantity: " + quantity);
    }
}
