package io.timeoutpolicy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The real programs some tests talk to (promtool, python3, npx, ...). On a developer machine without one, its
 * tests are skipped with a message saying how to install it; under {@code CI=true} a missing one fails them,
 * since {@code .ci/run} installs every one and a skipped test there would prove nothing.
 */
public final class PeerTools {

    private PeerTools() {
    }

    /** The command's path on the PATH; skips (or, in CI, fails) the calling test when there is none. */
    public static Path require(String command, String howToInstall) {
        Optional<Path> found = onPath(command);
        if (found.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(command + " is not installed, and CI=true needs it (.ci/run installs it): " + howToInstall);
        }
        Assumptions.assumeTrue(found.isPresent(), command + " is not installed, so this test is skipped: "
                + howToInstall);
        return found.orElseThrow();
    }

    /** The program at {@code path} (e.g. Debian's /usr/bin/python3 with Debian's drivers, not another one on the PATH). */
    public static Path requireAt(Path path, String howToInstall) {
        boolean found = Files.isExecutable(path);
        if (!found && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(path + " is not installed, and CI=true needs it (.ci/run installs it): " + howToInstall);
        }
        Assumptions.assumeTrue(found, path + " is not installed, so this test is skipped: " + howToInstall);
        return path;
    }

    public static Optional<Path> onPath(String command) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, command);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
