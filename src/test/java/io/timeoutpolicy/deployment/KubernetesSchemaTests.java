package io.timeoutpolicy.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.timeoutpolicy.PeerTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@code kubectl kustomize} builds from the base and the example overlay validates against the Kubernetes API
 * schemas: npm's kubernetes-models 5.1.0 (and the Prometheus Operator's models for the PrometheusRule), run by
 * the small Node script in src/test/node/kubernetes-validation, pinned by its package-lock.json.
 */
class KubernetesSchemaTests {

    private static final Path SOURCE = Path.of("src/test/node/kubernetes-validation");
    private static final Path WORK = Path.of("target/kubernetes-validation");
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void install() throws Exception {
        PeerTools.require("npm", "apt-get install nodejs npm");
        Files.createDirectories(WORK);
        try (Stream<Path> files = Files.list(SOURCE)) {
            for (Path file : files.toList()) {
                Files.copy(file, WORK.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (!Files.isDirectory(WORK.resolve("node_modules/kubernetes-models"))) {
            Run install = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), 300);
            assertThat(install.exitCode()).as("npm ci: " + install.output()).isZero();
        }
    }

    @Test
    void the_base_validates_against_the_kubernetes_schemas() throws Exception {
        List<JsonNode> objects = Kustomize.build(Kustomize.BASE);
        Run validation = validate(objects);
        assertThat(validation.exitCode()).as(validation.output()).isZero();
        assertThat(validation.output()).contains(objects.size() + " of " + objects.size() + " objects valid")
                .contains("valid   Deployment timeout-policy-service (apps/v1)")
                .contains("valid   PrometheusRule timeout-policy-service (monitoring.coreos.com/v1)");
    }

    @Test
    void the_example_overlay_validates_against_the_kubernetes_schemas() throws Exception {
        List<JsonNode> objects = Kustomize.build(Kustomize.EXAMPLE);
        Run validation = validate(objects);
        assertThat(validation.exitCode()).as(validation.output()).isZero();
        assertThat(validation.output()).contains(objects.size() + " of " + objects.size() + " objects valid")
                .contains("valid   Namespace timeout-policy (v1)");
    }

    @Test
    void the_validator_refuses_a_wrong_type_and_an_unknown_kind() throws Exception {
        List<JsonNode> objects = Kustomize.build(Kustomize.BASE);
        JsonNode deployment = Manifests.object(objects, "Deployment", "timeout-policy-service").deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) deployment.path("spec")).put("replicas", "two");
        JsonNode unknown = JSON.readTree("{\"apiVersion\": \"v1\", \"kind\": \"Servise\", \"metadata\": {\"name\": \"x\"}}");
        Run validation = validate(List.of(deployment, unknown));
        assertThat(validation.exitCode()).isEqualTo(1);
        assertThat(validation.output()).contains("spec/replicas must be integer").contains("no schema for kind Servise")
                .contains("0 of 2 objects valid");
    }

    private static Run validate(List<JsonNode> objects) throws Exception {
        ArrayNode array = JSON.createArrayNode();
        objects.forEach(array::add);
        Path input = Files.createTempFile("kubernetes-objects", ".json");
        try {
            JSON.writeValue(input.toFile(), array);
            return run(List.of("node", "validate.mjs", input.toAbsolutePath().toString()), 120);
        } finally {
            Files.deleteIfExists(input);
        }
    }

    private record Run(int exitCode, String output) {
    }

    private static Run run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("kubernetes-validation", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s");
            }
            return new Run(process.exitValue(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
