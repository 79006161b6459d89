package io.timeoutpolicy.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad configuration stops the start (SPEC 7): the packaged jar, given one mistake of each kind, ends with a
 * non-zero exit within seconds and a message naming the property and what is wrong, instead of starting and then
 * failing every request. The database points at a closed port: the check comes before anything needs it.
 */
class BadConfigurationIT {

    private static final String GOOD_HASH = "0ff86987c8ca08303de41f67acd9dda633b6ac174e05534d0d365f8299ae30fc";

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("a key hash that is no SHA-256, from the environment",
                        Map.of("TIMEOUT_POLICY_SECURITY_KEYS_BAD_SHA256", "not-a-hash",
                                "TIMEOUT_POLICY_SECURITY_KEYS_BAD_ROLES", "reporter"), List.of(),
                        List.of("timeout-policy.security.keys.bad.sha256 must be 64 hexadecimal digits")),
                Arguments.of("a role typo", Map.of(), List.of(
                        "-Dtimeout-policy.security.keys.ci.sha256=" + GOOD_HASH,
                        "-Dtimeout-policy.security.keys.ci.roles=deployers"),
                        List.of("timeout-policy.security.keys.ci.roles names the unknown role 'deployers'")),
                Arguments.of("a receiver URL that is not absolute", Map.of(), List.of(
                        "-Dtimeout-policy.alerts.receivers.oncall.url=alertmanager:9093/api/v2/alerts",
                        "-Dtimeout-policy.alerts.receivers.oncall.format=alertmanager"),
                        List.of("timeout-policy.alerts.receivers.oncall.url must be an absolute http:// or https://")),
                Arguments.of("an unknown receiver format", Map.of(), List.of(
                        "-Dtimeout-policy.alerts.receivers.oncall.url=http://alertmanager:9093/api/v2/alerts",
                        "-Dtimeout-policy.alerts.receivers.oncall.format=teams"),
                        List.of("timeout-policy.alerts.receivers.oncall.format", "teams")),
                Arguments.of("an unknown receiver min-level and environment", Map.of(), List.of(
                        "-Dtimeout-policy.alerts.receivers.chat.url=https://hooks.example.com/x",
                        "-Dtimeout-policy.alerts.receivers.chat.format=slack",
                        "-Dtimeout-policy.alerts.receivers.chat.min-level=severe",
                        "-Dtimeout-policy.alerts.receivers.chat.environments=production,Prod Env"),
                        List.of("timeout-policy.alerts.receivers.chat.min-level must be warning or critical",
                                "timeout-policy.alerts.receivers.chat.environments names 'Prod Env'")),
                Arguments.of("a duration out of range", Map.of(), List.of(
                        "-Dtimeout-policy.recording.write-behind.flush-interval=0s"),
                        List.of("timeout-policy.recording.write-behind.flush-interval must be longer than 0")),
                Arguments.of("a size out of range", Map.of(), List.of(
                        "-Dtimeout-policy.bypass.write-behind.capacity=0"),
                        List.of("timeout-policy.bypass.write-behind.capacity must be between 1 and")),
                Arguments.of("a journal directory that is a file", Map.of(), List.of(
                        "-Dtimeout-policy.journal.dir=" + aFile()),
                        List.of("timeout-policy.journal.dir=", "cannot be used")));
    }

    /** Two processes must never share a journal: the second does not start, and says why. */
    @org.junit.jupiter.api.Test
    void a_journal_directory_another_process_holds_stops_the_start() throws Exception {
        Path dir = Files.createTempDirectory("held-journal");
        try (var lockFile = java.nio.channels.FileChannel.open(dir.resolve("journal.lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                var held = lockFile.lock()) {
            a_mistake_stops_the_start_naming_the_property("a journal directory in use", Map.of(),
                    List.of("-Dtimeout-policy.journal.dir=" + dir),
                    List.of("timeout-policy.journal.dir=" + dir, "is in use by another process"));
        }
    }

    private static String aFile() {
        try {
            return Files.createTempFile("not-a-directory", ".txt").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void a_mistake_stops_the_start_naming_the_property(String name, Map<String, String> environment,
            List<String> properties, List<String> expected) throws Exception {
        Path log = Files.createTempFile("bad-configuration", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=0", "-Dquarkus.datasource.reactive.url=postgresql://127.0.0.1:1/none",
                "-Dtimeout-policy.database.migration-url=jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1"));
        if (properties.stream().noneMatch(p -> p.startsWith("-Dtimeout-policy.journal.dir="))) {
            command.add("-Dtimeout-policy.journal.dir=" + Files.createTempDirectory("bad-configuration-journal"));
        }
        command.addAll(properties);
        command.addAll(List.of("-jar", new File("target/quarkus-app/quarkus-run.jar").getAbsolutePath()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        Process process = builder.start();

        boolean ended = process.waitFor(30, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);
        System.out.printf("%s: exit %s after %d ms%n", name, ended ? process.exitValue() : "none",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        assertThat(ended).as("the process ends by itself; it logged:%n%s", output).isTrue();
        assertThat(process.exitValue()).as(output).isNotZero();
        assertThat(output).contains(expected).doesNotContain("started in").doesNotContain("not-a-hash");
    }
}
