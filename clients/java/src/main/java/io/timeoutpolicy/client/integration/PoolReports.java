package io.timeoutpolicy.client.integration;

import io.timeoutpolicy.client.Attempt;
import io.timeoutpolicy.client.TimeoutPolicyClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The attempts of ONE pool (SPEC 9.1 point 3), handed to the client's background reporter: every physical
 * connect as {@code connection}, every validation as {@code health_check}, the first usable connection as
 * {@code initialization} (once), and an acquisition as {@code pool} only when it waited longer than the threshold
 * or failed. The hooks call these on the connecting thread: they measure nothing themselves, never block and
 * never throw.
 */
public final class PoolReports {

    private final TimeoutPolicyClient client;
    private final String environment;
    // Changed live when the watch brings a new policy version (SPEC 9.3); read by the connecting threads.
    private volatile Integer policyVersion;
    private volatile Double connectTimeout;
    private volatile Double poolTimeout;
    private volatile Double healthCheckTimeout;
    private final double initializationTimeout;
    private final long poolWaitReportNanos;
    private final AtomicLong firstConnectStart = new AtomicLong();
    private final AtomicBoolean initialized = new AtomicBoolean();

    PoolReports(TimeoutPolicyClient client, String environment, Integer policyVersion, Double connectTimeout,
            Double poolTimeout, Double healthCheckTimeout, double initializationTimeout, long poolWaitReportNanos) {
        this.client = client;
        this.environment = environment;
        this.policyVersion = policyVersion;
        this.connectTimeout = connectTimeout;
        this.poolTimeout = poolTimeout;
        this.healthCheckTimeout = healthCheckTimeout;
        this.initializationTimeout = initializationTimeout;
        this.poolWaitReportNanos = poolWaitReportNanos;
    }

    /** Call as a physical connect begins; answers its start. */
    public long connectStarting() {
        long now = System.nanoTime();
        firstConnectStart.compareAndSet(0, now);
        return now;
    }

    public void connected(long startNanos) {
        long end = System.nanoTime();
        send(attempt("connection", end - startNanos, true, connectTimeout, null));
        if (initialized.compareAndSet(false, true)) {
            send(attempt("initialization", end - firstConnectStart.get(), true, initializationTimeout, null));
        }
    }

    public void connectFailed(long startNanos, Throwable error) {
        long elapsed = System.nanoTime() - startNanos;
        send(attempt("connection", elapsed, false, connectTimeout,
                FailureTypes.classify(error, FailureTypes.reached(elapsed, connectTimeout))));
    }

    /**
     * A validation of a pooled connection: valid, invalid ({@code error} null) or failed. The timeout in force is
     * the pool's validation timeout, else the one the check was given ({@code isValid(seconds)}; 0: none known).
     * Every check is reported (SPEC 9.1 point 3), as the Python client reports every pre-ping: a sample of the
     * slow ones would skew the distribution the service learns {@code health_check_timeout} from. The client's
     * rate cap and bounded queue bound the volume of a pool that validates often.
     */
    public void healthChecked(long startNanos, int givenSeconds, boolean valid, Throwable error) {
        long elapsed = System.nanoTime() - startNanos;
        Double timeout = healthCheckTimeout != null ? healthCheckTimeout : givenSeconds > 0 ? (double) givenSeconds : null;
        boolean reached = FailureTypes.reached(elapsed, timeout);
        send(attempt("health_check", elapsed, valid, timeout, valid ? null
                : error != null ? FailureTypes.classify(error, reached)
                : reached ? FailureTypes.DATABASE_TIMEOUT : FailureTypes.UNKNOWN));
    }

    /** An acquisition that got a connection after {@code waitedNanos}: reported only above the threshold. */
    public void acquired(long waitedNanos) {
        if (waitedNanos > poolWaitReportNanos) {
            send(attempt("pool", waitedNanos, true, poolTimeout, null));
        }
    }

    /** An acquisition that gave up after {@code waitedNanos} (the pool's timeout): always reported. */
    public void acquireFailed(long waitedNanos, Throwable error) {
        send(attempt("pool", waitedNanos, false, poolTimeout,
                error == null ? FailureTypes.DATABASE_TIMEOUT : FailureTypes.classify(error, true)));
    }

    /**
     * The values in force after a live change (SPEC 9.3): later reports carry this policy version and these
     * timeouts (seconds; null keeps what was in force).
     */
    public void update(Integer version, Double connect, Double pool, Double healthCheck) {
        this.policyVersion = version;
        if (connect != null) {
            this.connectTimeout = connect;
        }
        if (pool != null) {
            this.poolTimeout = pool;
        }
        if (healthCheck != null) {
            this.healthCheckTimeout = healthCheck;
        }
    }

    public Double poolTimeoutSeconds() {
        return poolTimeout;
    }

    public Integer policyVersion() {
        return policyVersion;
    }

    public long poolWaitReportNanos() {
        return poolWaitReportNanos;
    }

    public Double connectTimeoutSeconds() {
        return connectTimeout;
    }

    private Attempt attempt(String operation, long nanos, boolean success, Double timeout, String failureType) {
        return new Attempt(operation, Duration.ofNanos(Math.max(0, nanos)), success, environment, timeout,
                failureType, null, null, null, null, policyVersion);
    }

    private void send(Attempt attempt) {
        try {
            client.report(attempt);
        } catch (RuntimeException e) { // report() does not throw; a hook must not, whatever happens
            // counted by the client as invalid where it can tell
        }
    }
}
