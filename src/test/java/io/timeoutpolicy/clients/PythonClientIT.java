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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Python client ({@code clients/python}) against the packaged jar: {@code pip install}ed into a virtual
 * environment of Debian's Python ({@code --system-site-packages}, for Debian's SQLAlchemy 1.4, psycopg2, psycopg 3,
 * psycopg_pool, asyncpg and mypy), then its {@code unittest} suite run from there and pointed at this jar (real
 * HTTP, a fresh PostgreSQL database of its own): the fallbacks when the service is stopped, hangs or answers
 * badly, the gate's exit codes, and the integrations with each driver against the local PostgreSQL, a private
 * one with passwords, silent and closed ports. The installed copy is the one tested, so the SQLAlchemy plugin's
 * entry point, {@code py.typed} and the command are proved by the install itself. Without Debian's python3 the
 * test is skipped, except under {@code CI=true}, where it fails ({@code .ci/run} installs it and the drivers).
 */
class PythonClientIT {

    private static final String KEY = "python-client-it-key";
    private static final Path CLIENT = Path.of("clients", "python");
    private static final Path TESTS = CLIENT.resolve("tests");
    private static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");
    private static final Duration SUITE_LIMIT = Duration.ofMinutes(10);

    /** The suite's own database, named after this run's (TEST_DB_NAME) so that parallel runs do not share it. */
    private static String database() {
        return System.getenv().getOrDefault("TEST_DB_NAME", "timeout_policy_test") + "_pyclient";
    }

    @Test
    void the_python_clients_tests_pass_against_the_packaged_jar() throws Exception {
        Path python = PeerTools.requireAt(DEBIAN_PYTHON, "apt-get install python3 python3-venv python3-pip"
                + " python3-sqlalchemy python3-psycopg2 python3-psycopg python3-psycopg-pool python3-asyncpg python3-mypy");
        Path venvPython = install(python);
        String database = database();
        TestDatabase.recreate(database);
        List<String> properties = new ArrayList<>(PackagedJar.localDatabase(database));
        properties.add("-Dtimeout-policy.security.keys.python-client.sha256=" + PackagedJar.sha256(KEY));
        properties.add("-Dtimeout-policy.security.keys.python-client.roles=reporter,deployer,operator");
        try (PackagedJar jar = PackagedJar.start("python-client", properties)) {
            jar.await("/q/health/ready", r -> r.statusCode() == 200, Duration.ofSeconds(60));
            // Run from target/: the tests import the installed package, not the source folder beside them.
            ProcessBuilder unittest = new ProcessBuilder(venvPython.toString(), "-m", "unittest", "discover",
                    "-s", TESTS.toAbsolutePath().toString(), "-v").directory(Path.of("target").toFile())
                    .redirectErrorStream(true);
            Map<String, String> environment = unittest.environment();
            // The suite talks to this jar only, and leaves nothing in the source tree.
            environment.keySet().removeIf(name -> name.startsWith("TIMEOUT_POLICY_"));
            environment.put("TIMEOUT_POLICY_TEST_URL", jar.url(""));
            environment.put("TIMEOUT_POLICY_TEST_KEY", KEY);
            environment.put("TIMEOUT_POLICY_TEST_DB", database);
            environment.put("TIMEOUT_POLICY_TEST_INSTALLED", "1");
            environment.put("PYTHONDONTWRITEBYTECODE", "1");
            // The contract test reads the document this build stored (store-schema-directory).
            environment.put("TIMEOUT_POLICY_OPENAPI", Path.of("target", "openapi", "openapi.json").toAbsolutePath().toString());
            String log = run(unittest, SUITE_LIMIT);
            System.out.println("Python client's tests (" + venvPython + "):\n" + log);
            assertThat(log).as("the suite's summary:\n%s", log).containsPattern("(?m)^OK( \\(skipped=\\d+\\))?$");
            assertThat(log).as("nothing skipped but the tests for a source checkout").doesNotContain("is not installed");
        }
    }

    /** A fresh virtual environment in target/ with the client pip-installed from a copy of its folder. */
    private static Path install(Path python) throws Exception {
        Path venv = Path.of("target", "python-client-venv").toAbsolutePath();
        Path source = Path.of("target", "python-client-src").toAbsolutePath();
        delete(source);
        copy(CLIENT, source); // pip and setuptools write build/ and *.egg-info beside the project: not in the tree
        run(new ProcessBuilder(python.toString(), "-m", "venv", "--clear", "--system-site-packages", venv.toString())
                .redirectErrorStream(true), Duration.ofMinutes(2));
        Path venvPython = venv.resolve("bin").resolve("python");
        // No index (none is reachable, and nothing is needed: the package has no dependency), no isolated build
        // (it would fetch setuptools; Debian's is used).
        run(new ProcessBuilder(venvPython.toString(), "-m", "pip", "install", "--quiet", "--no-index",
                "--no-build-isolation", source.toString()).redirectErrorStream(true), Duration.ofMinutes(3));
        return venvPython;
    }

    private static String run(ProcessBuilder command, Duration limit) throws Exception {
        Process process = command.start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command.command()) + " did not finish within " + limit + ":\n" + output.join());
        }
        String log = output.join();
        assertThat(process.exitValue()).as("%s:\n%s", String.join(" ", command.command()), log).isZero();
        return log;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.toString().contains("__pycache__")) {
                    continue;
                }
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static void delete(Path folder) throws IOException {
        if (Files.exists(folder)) {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(file);
                }
            }
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
