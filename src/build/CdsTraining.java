import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes the packaged service's class-data archive (target/quarkus-app/app-cds.jsa) from a training start that
 * reaches its first timeouts answer, instead of Quarkus' archive of a start that stops before run-time
 * initialisation (which left half of the classes of a start to be parsed and verified every time; BENCHMARKS.md,
 * "Cold start"). Run by the build after Quarkus has packaged the jar (pom.xml, profile cds-training):
 *
 *   java src/build/CdsTraining.java target/quarkus-app
 *
 * The training start is the README's command with -XX:ArchiveClassesAtExit, on a free port, against a database
 * address nothing listens on (so a build never touches a real database: the start takes the path of a database
 * not yet reachable and answers from the built-in policies), with a journal of its own; it is stopped with
 * SIGTERM after the first answer, and the JVM writes the archive as it exits. The archive is used the same way
 * as before: java -XX:SharedArchiveFile=app-cds.jsa -jar quarkus-run.jar. A JVM that finds it unusable (another
 * JDK build) ignores it and starts as without it.
 */
public final class CdsTraining {

    private static final String FIRST_ANSWER = "/api/v1/environments/staging/timeouts";
    private static final Duration START_LIMIT = Duration.ofMinutes(3);

    public static void main(String[] args) throws Exception {
        Path app = Path.of(args.length > 0 ? args[0] : "target/quarkus-app").toAbsolutePath();
        Path archive = app.resolve("app-cds.jsa");
        Path training = app.resolve("app-cds.jsa.training");
        Path journal = Files.createTempDirectory("cds-training-journal");
        Path log = app.getParent().resolve("cds-training.log");
        Files.deleteIfExists(training);
        int port = freePort();
        Process jvm = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ArchiveClassesAtExit=" + training, "-Xmx1g",
                "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.datasource.reactive.url=postgresql://127.0.0.1:1/cds_training",
                "-Dtimeout-policy.journal.dir=" + journal, "-Dquarkus.shutdown.delay=0s",
                "-jar", "quarkus-run.jar"))
                .directory(app.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitFirstAnswer(port, jvm);
        } catch (Exception e) {
            jvm.destroyForcibly();
            throw e;
        }
        jvm.destroy(); // SIGTERM: the shutdown hooks run and the JVM writes the archive as it exits
        if (!jvm.waitFor(START_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            jvm.destroyForcibly();
            throw new IllegalStateException("the training start did not stop; see " + log);
        }
        if (!Files.isRegularFile(training) || Files.size(training) == 0) {
            throw new IllegalStateException("the training start wrote no archive; see " + log);
        }
        Files.move(training, archive, StandardCopyOption.REPLACE_EXISTING);
        try (var files = Files.walk(journal)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        System.out.printf("[cds-training] %s: %d MB, from a start to its first answer%n", archive,
                Files.size(archive) >> 20);
    }

    private static void awaitFirstAnswer(int port, Process jvm) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest first = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + FIRST_ANSWER))
                .timeout(Duration.ofSeconds(10)).build();
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!jvm.isAlive()) {
                throw new IllegalStateException("the training start exited with " + jvm.exitValue());
            }
            try {
                if (client.send(first, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no first answer within " + START_LIMIT);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
