package io.timeoutpolicy.client.integration;

import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A PostgreSQL 15 of the tests' own (initdb + pg_ctl in a temporary folder, its own port, md5 passwords, no SSL),
 * for what the shared trust-auth cluster cannot show: a real server refusing a wrong password (SQLSTATE 28P01).
 * Run as the {@code postgres} user when the tests run as root (initdb refuses root). Stopped at JVM exit.
 */
public final class PrivatePostgres {

    public static final String PASSWORD = "right-password";
    private static final String BIN = System.getenv().getOrDefault("PG_BIN", "/usr/lib/postgresql/15/bin");
    private static PrivatePostgres started;

    public final int port;

    private PrivatePostgres(int port) {
        this.port = port;
    }

    public static synchronized PrivatePostgres get() throws Exception {
        if (started == null) {
            started = start();
        }
        return started;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    private static PrivatePostgres start() throws Exception {
        if (!new File(BIN, "initdb").canExecute()) {
            throw new IllegalStateException(BIN + "/initdb is missing: install postgresql-15 (or set PG_BIN)");
        }
        Path dir = Files.createTempDirectory("tp-private-pg-");
        Path data = dir.resolve("data");
        Path pwfile = dir.resolve("pw");
        Files.writeString(pwfile, PASSWORD + "\n");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            run(List.of("chown", "-R", "postgres", dir.toString()), false);
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        run(List.of(BIN + "/initdb", "-D", data.toString(), "-U", "postgres", "-A", "md5", "--pwfile=" + pwfile,
                "--no-sync"), root);
        run(List.of(BIN + "/pg_ctl", "-D", data.toString(), "-l", dir.resolve("log").toString(), "-w", "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c ssl=off -c fsync=off", "start"), root);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                run(List.of(BIN + "/pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop"), root);
                run(List.of("rm", "-rf", dir.toString()), false);
            } catch (Exception ignored) {
                // the JVM is ending
            }
        }));
        return new PrivatePostgres(port);
    }

    private static void run(List<String> command, boolean asPostgres) throws Exception {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", full) + ": " + output);
        }
    }
}
