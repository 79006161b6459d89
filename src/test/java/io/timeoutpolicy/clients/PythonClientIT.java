package io.timeoutpolicy.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.timeoutpolicy.PackagedJar;
import io.timeoutpolicy.PeerTools;
import io.timeoutpolicy.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Python client ({@code clients/python}) against the packaged jar: its {@code unittest} suite, run with
 * {@code python3} and pointed at this jar (real HTTP, a fresh PostgreSQL database of its own), including the
 * fallbacks when the service is stopped, hangs or answers badly, and the gate's exit codes. Without python3
 * the test is skipped, except under {@code CI=true}, where it fails ({@code .ci/run} installs python3).
 */
class PythonClientIT {

    private static final String DATABASE = "timeout_policy_python_client_it";
    private static final String KEY = "python-client-it-key";
    private static final Path TESTS = Path.of("clients", "python", "tests");
    private static final Duration SUITE_LIMIT = Duration.ofMinutes(5);

    @Test
    void the_python_clients_tests_pass_against_the_packaged_jar() throws Exception {
        Path python = PeerTools.require("python3", "apt-get install python3");
        TestDatabase.recreate(DATABASE);
        List<String> properties = new ArrayList<>(PackagedJar.localDatabase(DATABASE));
        properties.add("-Dtimeout-policy.security.keys.python-client.sha256=" + PackagedJar.sha256(KEY));
        properties.add("-Dtimeout-policy.security.keys.python-client.roles=reporter,deployer,operator");
        try (PackagedJar jar = PackagedJar.start("python-client", properties)) {
            jar.await("/q/health/ready", r -> r.statusCode() == 200, Duration.ofSeconds(60));
            ProcessBuilder unittest = new ProcessBuilder(python.toString(), "-m", "unittest", "discover",
                    "-s", TESTS.toString(), "-v").redirectErrorStream(true);
            Map<String, String> environment = unittest.environment();
            // The suite talks to this jar only, and leaves nothing in the source tree.
            environment.keySet().removeIf(name -> name.startsWith("TIMEOUT_POLICY_"));
            environment.put("TIMEOUT_POLICY_TEST_URL", jar.url(""));
            environment.put("TIMEOUT_POLICY_TEST_KEY", KEY);
            environment.put("PYTHONDONTWRITEBYTECODE", "1");
            // The contract test reads the document this build stored (store-schema-directory).
            environment.put("TIMEOUT_POLICY_OPENAPI", Path.of("target", "openapi", "openapi.json").toAbsolutePath().toString());
            Process process = unittest.start();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            if (!process.waitFor(SUITE_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("the Python client's tests did not finish within " + SUITE_LIMIT + ":\n" + output.join());
            }
            String log = output.join();
            System.out.println("Python client's tests (" + python + "):\n" + log);
            assertThat(process.exitValue()).as("python3 -m unittest discover -s %s:\n%s", TESTS, log).isZero();
            assertThat(log).contains("OK");
        }
    }

    private static String read(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(could not read the output: " + e + ")";
        }
    }
}
