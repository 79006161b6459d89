package io.timeoutpolicy.alerts.delivery;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local HTTP receiver (the JDK's server) that records what it is posted and can be told to fail: answer 500,
 * hang (accept and never answer), or be down (its port closed).
 */
final class Webhook {

    enum Mode { OK, ERROR, HANG }

    /** One POST as received. */
    record Received(String path, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final int port;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.OK;
    private volatile CountDownLatch hanging = new CountDownLatch(1);
    private volatile int refused;
    private HttpServer server;

    Webhook(int port) {
        this.port = port;
    }

    int port() {
        return port;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    synchronized void start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    /** Down: the port refuses connections until {@link #start()}. */
    synchronized void stop() {
        hanging.countDown();
        server.stop(0);
    }

    void mode(Mode next) {
        if (mode == Mode.HANG && next != Mode.HANG) {
            hanging.countDown();
        }
        if (next == Mode.HANG) {
            hanging = new CountDownLatch(1);
        }
        mode = next;
    }

    /** Requests answered 500 or left hanging so far. */
    int refused() {
        return refused;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Mode now = mode;
        if (now == Mode.HANG) {
            refused++;
            try {
                hanging.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        if (now == Mode.ERROR) {
            refused++;
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
            return;
        }
        received.add(new Received(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), body));
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
