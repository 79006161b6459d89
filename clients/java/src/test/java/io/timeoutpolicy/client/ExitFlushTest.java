package io.timeoutpolicy.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A backend that reports and then simply ends: its JVM runs the client's shutdown hook, which sends what is still
 * queued within the budget. Shown with real JVMs of their own ({@link Backend}) that never call close or flush,
 * and a linger of 5 s, so that nothing is sent before the exit unless the hook sends it.
 */
class ExitFlushTest {

    private static final int ATTEMPTS = 300;

    @Test
    void attempts_still_queued_when_the_jvm_exits_reach_the_service() throws Exception {
        String withHook = ServiceJar.get().newEnvironment();
        String withoutHook = ServiceJar.get().newEnvironment();
        long hooked = runBackend(withHook, true);
        long unhooked = runBackend(withoutHook, false);
        System.out.printf("backend JVM: %d ms with the exit flush, %d ms without%n", hooked, unhooked);
        assertThat(attempts(withHook)).isEqualTo(ATTEMPTS);
        assertThat(attempts(withoutHook)).as("without the hook the lingering batch is lost").isZero();
    }

    private static long runBackend(String environment, boolean flushAtShutdown) throws Exception {
        Path log = Files.createTempFile("backend", ".log");
        long started = System.nanoTime();
        Process backend = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Backend.class.getName(), ServiceJar.get().url,
                ServiceJar.KEY, environment, Files.createTempDirectory("c-").toString(),
                String.valueOf(flushAtShutdown))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(backend.waitFor(30, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
        assertThat(backend.exitValue()).as(Files.readString(log)).isZero();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    private static int attempts(String environment) throws Exception {
        return ReportingTest.metrics(environment, "").path("connection_attempts").asInt(0);
    }

    /** The backend: asks, reports, returns from main. */
    public static final class Backend {
        public static void main(String[] args) {
            TimeoutPolicyClient client = TimeoutPolicyClient.builder().baseUrl(args[0]).apiKey(args[1])
                    .cacheDir(Path.of(args[3])).linger(Duration.ofSeconds(5))
                    .flushAtShutdown(Boolean.parseBoolean(args[4])).build();
            client.startupConfig(args[2]);
            for (int i = 0; i < ATTEMPTS; i++) {
                client.report(Attempt.of("connection", Duration.ofMillis(50 + i), true).inEnvironment(args[2]));
            }
        }
    }
}
