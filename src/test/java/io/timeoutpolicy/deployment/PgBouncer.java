package io.timeoutpolicy.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.timeoutpolicy.PeerTools;
import io.timeoutpolicy.TestDatabase;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Debian's PgBouncer, started by a test on a free port with a configuration, log and pid file of its own in a
 * temporary directory, in front of the local PostgreSQL (DB_HOST, DB_PORT): {@code auth_type = trust}, the usual
 * {@code ignore_startup_parameters = extra_float_digits} for pgJDBC, and the pool mode the test asks for.
 * PgBouncer refuses to run as root, so as root it runs as the {@code postgres} user (runuser).
 */
final class PgBouncer implements AutoCloseable {

    private final Process process;
    private final Path directory;
    private final int port;

    private PgBouncer(Process process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.port = port;
    }

    /** Starts PgBouncer in {@code poolMode} ({@code transaction} or {@code session}) and waits until it listens. */
    static PgBouncer start(String poolMode) throws Exception {
        return start(poolMode, false);
    }

    /**
     * As {@link #start(String)}; with {@code clientTls}, PgBouncer accepts only TLS connections from clients
     * ({@code client_tls_sslmode = require}, a self-signed certificate made with openssl).
     */
    static PgBouncer start(String poolMode, boolean clientTls) throws Exception {
        Path binary = PeerTools.onPath("pgbouncer").or(() -> Optional.of(Path.of("/usr/sbin/pgbouncer"))
                .filter(Files::isExecutable)).orElseGet(() -> PeerTools.require("pgbouncer",
                        "apt-get install pgbouncer (Debian's 1.18)"));
        Path directory = Files.createTempDirectory("pgbouncer-" + poolMode);
        // Written by the postgres user when run as root.
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
        int port = freePort();
        String user = TestDatabase.user();
        Files.writeString(directory.resolve("userlist.txt"), "\"" + user + "\" \"\"\n");
        Files.writeString(directory.resolve("pgbouncer.ini"), String.join("\n",
                "[databases]",
                "* = host=" + env("DB_HOST", "127.0.0.1") + " port=" + env("DB_PORT", "5432"),
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                "listen_port = " + port,
                "unix_socket_dir =",
                "auth_type = trust",
                "auth_file = " + directory.resolve("userlist.txt"),
                "admin_users = " + user,
                "pool_mode = " + poolMode,
                "ignore_startup_parameters = extra_float_digits",
                "max_client_conn = 400",
                "default_pool_size = 20",
                "logfile = " + directory.resolve("pgbouncer.log"),
                "pidfile = " + directory.resolve("pgbouncer.pid"),
                clientTls ? tls(directory) : "",
                ""));
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.addAll(List.of(binary.toString(), directory.resolve("pgbouncer.ini").toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("stdout.log").toFile()).start();
        PgBouncer bouncer = new PgBouncer(process, directory, port);
        bouncer.awaitListening(Duration.ofSeconds(10));
        return bouncer;
    }

    int port() {
        return port;
    }

    /** The reactive URL of {@code database} through this PgBouncer. */
    String reactiveUrl(String database) {
        return "postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** PgBouncer's own log: refusals and errors it met. */
    String log() throws Exception {
        Path log = directory.resolve("pgbouncer.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /**
     * Transactions PgBouncer has passed to {@code database} so far ({@code SHOW STATS} on its admin console, with
     * psql: the console speaks only the simple protocol and refuses the settings pgJDBC sends).
     */
    long transactions(String database) throws Exception {
        List<String> lines = console("SHOW STATS");
        List<String> columns = List.of(lines.get(0).split("\\|"));
        return lines.stream().skip(1).map(line -> line.split("\\|")).filter(row -> row[0].equals(database))
                .mapToLong(row -> Long.parseLong(row[columns.indexOf("total_xact_count")])).sum();
    }

    /** A command of the admin console, as psql prints it unaligned: a header line, then one line per row. */
    private List<String> console(String command) throws Exception {
        Process psql = new ProcessBuilder(PeerTools.require("psql", "apt-get install postgresql-client").toString(),
                "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", TestDatabase.user(), "-d", "pgbouncer",
                "-A", "-F", "|", "-P", "footer=off", "-c", command).redirectErrorStream(true).start();
        List<String> lines = new String(psql.getInputStream().readAllBytes()).lines().toList();
        assertThat(psql.waitFor()).as(String.join("\n", lines)).isZero();
        return lines;
    }

    @Override
    public void close() throws Exception {
        Path pidFile = directory.resolve("pgbouncer.pid");
        if (Files.exists(pidFile)) {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
        process.destroy();
        process.waitFor();
    }

    private void awaitListening(Duration within) throws Exception {
        Instant deadline = Instant.now().plus(within);
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (java.io.IOException notYet) {
                assertThat(process.isAlive()).as("PgBouncer running: " + Files.readString(
                        directory.resolve("stdout.log")) + log()).isTrue();
                assertThat(Instant.now()).as("PgBouncer listening on " + port).isBefore(deadline);
                Thread.sleep(50);
            }
        }
    }

    private static String tls(Path directory) throws Exception {
        Path openssl = PeerTools.require("openssl", "apt-get install openssl");
        Process made = new ProcessBuilder(openssl.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", directory.resolve("key.pem").toString(),
                "-out", directory.resolve("cert.pem").toString()).redirectErrorStream(true).start();
        String output = new String(made.getInputStream().readAllBytes());
        assertThat(made.waitFor()).as(output).isZero();
        Files.setPosixFilePermissions(directory.resolve("key.pem"), PosixFilePermissions.fromString("rw-r--r--"));
        return String.join("\n", "client_tls_sslmode = require",
                "client_tls_key_file = " + directory.resolve("key.pem"),
                "client_tls_cert_file = " + directory.resolve("cert.pem"));
    }

    /** The TLS version of each client connection to {@code database} ({@code SHOW CLIENTS}); empty when plain. */
    List<String> clientTls(String database) throws Exception {
        List<String> lines = console("SHOW CLIENTS");
        List<String> columns = List.of(lines.get(0).split("\\|", -1));
        return lines.stream().skip(1).map(line -> line.split("\\|", -1))
                .filter(row -> row.length == columns.size() && row[columns.indexOf("database")].equals(database))
                .map(row -> row[columns.indexOf("tls")]).toList();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
