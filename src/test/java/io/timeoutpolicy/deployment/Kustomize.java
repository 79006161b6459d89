package io.timeoutpolicy.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import io.timeoutpolicy.PeerTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code kubectl kustomize DIR}: what would be applied, as YAML documents. No cluster is needed. */
final class Kustomize {

    static final Path BASE = Path.of("deploy/kubernetes");
    static final Path EXAMPLE = Path.of("deploy/overlays/example");

    private Kustomize() {
    }

    static List<JsonNode> build(Path directory) throws IOException, InterruptedException {
        PeerTools.require("kubectl", "apt-get install kubectl");
        Path output = Files.createTempFile("kustomize", ".yaml");
        Path errors = Files.createTempFile("kustomize", ".log");
        try {
            Process process = new ProcessBuilder("kubectl", "kustomize", directory.toString())
                    .redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + directory + " did not finish within 60 s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + directory + " failed: " + Files.readString(errors));
            }
            return Manifests.documents(output);
        } finally {
            Files.deleteIfExists(output);
            Files.deleteIfExists(errors);
        }
    }
}
