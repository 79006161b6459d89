package io.timeoutpolicy.client;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Stand-ins for a service that is stopped, hangs, or answers badly. */
public final class StandIns {

    private StandIns() {
    }

    /** A port nothing listens on: a stopped service. */
    public static String closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return "http://127.0.0.1:" + probe.getLocalPort();
        }
    }

    /** Accepts connections and never answers (a service stuck, or a load balancer with no backend). */
    public static final class Hanging implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0);
        private final List<Socket> held = new ArrayList<>();
        public final String url = "http://127.0.0.1:" + socket.getLocalPort();
        public final int port = socket.getLocalPort();

        public Hanging() throws IOException {
            Thread accepting = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket connection = socket.accept();
                        synchronized (held) {
                            held.add(connection);
                        }
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            accepting.setDaemon(true);
            accepting.start();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            synchronized (held) {
                for (Socket connection : held) {
                    connection.close();
                }
            }
        }
    }

    /** An HTTP server that answers every request with {@code status} and {@code body}. */
    public static final class Answering implements AutoCloseable {
        private final HttpServer server;
        public final String url;

        public Answering(int status, String contentType, String body) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().add("Content-Type", contentType);
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
            server.start();
            url = "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
