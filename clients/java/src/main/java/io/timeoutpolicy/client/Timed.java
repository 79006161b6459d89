package io.timeoutpolicy.client;

import java.time.Duration;
import java.util.logging.Logger;

/**
 * What {@link TimeoutPolicyClient#timed} answers: {@code try (var t = client.timed("connection")) { … }} reports
 * the block at its end, a success unless {@link #fail} was called. A block that throws skips {@code t.fail()};
 * call {@link #failed(Throwable)} in a catch to report it (the exception goes on). Never throws at close.
 */
public final class Timed implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("io.timeoutpolicy.client");

    private final TimeoutPolicyClient client;
    private final String operation;
    private final long started = System.nanoTime();
    private String environment;
    private String failureType;
    private Duration duration;
    private String id;

    Timed(TimeoutPolicyClient client, String operation) {
        this.client = client;
        this.operation = operation;
    }

    /** Reports the attempt in {@code name} rather than the last environment asked for. */
    public Timed in(String name) {
        this.environment = name;
        return this;
    }

    /** Reports the block as failed with {@code type} (e.g. {@code vpc_connector}). */
    public void fail(String type) {
        this.failureType = type == null || type.isEmpty() ? "failed" : type;
    }

    /** Reports the block as failed because of {@code error}: {@code database_timeout} for a timeout. */
    public void failed(Throwable error) {
        fail(isTimeout(error) ? "database_timeout" : error.getClass().getSimpleName());
    }

    /** The measured duration, once closed. */
    public Duration duration() {
        return duration;
    }

    /** The attempt's id, once closed and queued; else null. */
    public String id() {
        return id;
    }

    @Override
    public void close() {
        if (duration != null) {
            return;
        }
        try {
            duration = Duration.ofNanos(System.nanoTime() - started);
            Attempt attempt = new Attempt(operation, duration, failureType == null, environment,
                    client.timeoutInForce(environment, operation), failureType, null, null, null, null);
            id = client.report(attempt);
        } catch (RuntimeException e) { // never into the caller
            LOG.warning(() -> "timeout-policy: attempt not reported: " + e.getMessage());
        }
    }

    private static boolean isTimeout(Throwable error) {
        return error instanceof java.util.concurrent.TimeoutException
                || error instanceof java.net.SocketTimeoutException
                || error instanceof java.net.http.HttpTimeoutException
                || error.getClass().getSimpleName().contains("Timeout");
    }
}
