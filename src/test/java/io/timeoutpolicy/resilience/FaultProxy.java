package io.timeoutpolicy.resilience;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy between the service and PostgreSQL that breaks things for real: it can add latency to every
 * packet, refuse new connections, and cut the open ones. Test code only.
 */
public final class FaultProxy implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final NetClient client = vertx.createNetClient();
    private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
    private final String targetHost;
    private final int targetPort;
    private NetServer server;
    private volatile boolean refusing;
    private volatile long latencyMillis;

    public FaultProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    /** Starts listening on a free port of 127.0.0.1 and answers it. */
    public int start() throws Exception {
        server = vertx.createNetServer().connectHandler(this::accept);
        return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .actualPort();
    }

    /** Forwards everything at full speed. */
    public void pass() {
        latencyMillis = 0;
        refusing = false;
    }

    /** Delays every packet, both ways, by {@code millis}. */
    public void slow(long millis) {
        latencyMillis = millis;
    }

    /** Refuses new connections and cuts the open ones: the database is gone. */
    public void cut() {
        refusing = true;
        open.forEach(NetSocket::close);
        open.clear();
    }

    private void accept(NetSocket downstream) {
        if (refusing) {
            downstream.close();
            return;
        }
        downstream.pause();
        client.connect(targetPort, targetHost).onSuccess(upstream -> {
            open.add(downstream);
            open.add(upstream);
            pipe(downstream, upstream);
            pipe(upstream, downstream);
            downstream.resume();
        }).onFailure(failure -> downstream.close());
    }

    private void pipe(NetSocket from, NetSocket to) {
        from.handler(data -> forward(to, data));
        from.closeHandler(ignored -> {
            open.remove(from);
            to.close();
        });
        from.exceptionHandler(ignored -> to.close());
    }

    private void forward(NetSocket to, Buffer data) {
        long delay = latencyMillis;
        if (delay == 0) {
            to.write(data);
        } else {
            vertx.setTimer(delay, timer -> to.write(data));
        }
    }

    @Override
    public void close() {
        open.forEach(NetSocket::close);
        vertx.close();
    }
}
