package io.timeoutpolicy.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The prerequisite the README names is real: with a JDK but no Maven on the PATH (and nothing fetched yet),
 * ./mvnw stops at once with a message that says what to install, instead of failing somewhere later.
 */
class MavenWrapperTests {

    @Test
    void without_any_maven_the_wrapper_says_to_install_one() throws Exception {
        Path home = Files.createTempDirectory("mvnw-home");
        Path bin = Files.createTempDirectory("mvnw-path");
        for (String command : new String[] {"sh", "tr", "dirname", "head", "grep", "mkdir", "mktemp"}) {
            Path real = Path.of("/usr/bin", command);
            if (!Files.exists(real)) {
                real = Path.of("/bin", command);
            }
            Files.createSymbolicLink(bin.resolve(command), real);
        }
        ProcessBuilder wrapper = new ProcessBuilder("/bin/sh", "mvnw", "-v").redirectErrorStream(true);
        wrapper.environment().put("PATH", bin.toString());
        wrapper.environment().put("MAVEN_USER_HOME", home.toString());
        Process process = wrapper.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("no 'mvn' is on PATH").contains("install any Maven 3.x");
    }
}
