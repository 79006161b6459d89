package io.timeoutpolicy.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * A client of the Timeout Policy Service; make one per process. {@link #startupConfig} answers within the budget
 * (2 s in all, connect included) from the service, else its last answer cached on disk, else SPEC 3's defaults;
 * {@link #report} and {@link #timed} send attempts in the background; {@link #bypassDecision} asks the gate.
 *
 * <pre>{@code
 * var client = TimeoutPolicyClient.builder().service("orders-api").build();   // TIMEOUT_POLICY_URL, _KEY
 * var config = client.startupConfig("staging");
 * try (var t = client.timed("connection")) { connect(config.timeouts().connectionTimeout()); }
 * }</pre>
 */
public final class TimeoutPolicyClient implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("io.timeoutpolicy.client");
    private static final Pattern ENVIRONMENT = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,63}$"); // SPEC 2
    static final String UNKNOWN_ENVIRONMENT = "urn:timeout-policy:problem:unknown-environment";
    static final String VALIDATION = "urn:timeout-policy:problem:validation";
    /** SPEC 9.1: attempts sent a second by one process, unless TIMEOUT_POLICY_MAX_REPORTS_PER_SECOND says. */
    public static final int DEFAULT_MAX_REPORTS_PER_SECOND = 200;

    private final String baseUrl;
    private final Duration budget;
    private final DiskCache cache;
    private final BudgetedHttp http;
    private final Reporter reporter;
    private final Attempts attempts;
    private final Map<String, StartupConfig> configs = new ConcurrentHashMap<>();
    private final Map<String, Watcher> watchers = new ConcurrentHashMap<>();
    private final Watcher.Settings watchSettings;
    private volatile boolean closed;
    private final Thread shutdownHook;
    private volatile String lastEnvironment;

    private TimeoutPolicyClient(Builder b) {
        String url = b.baseUrl != null ? b.baseUrl : System.getenv("TIMEOUT_POLICY_URL");
        this.baseUrl = url == null || url.isBlank() ? null : url.replaceAll("/+$", "");
        String key = b.apiKey != null ? b.apiKey : System.getenv("TIMEOUT_POLICY_KEY");
        ObjectMapper json = new ObjectMapper();
        this.budget = b.budget;
        this.watchSettings = b.watchSettings;
        this.cache = new DiskCache(b.cacheDir != null ? b.cacheDir : DiskCache.defaultDirectory(), json);
        this.http = new BudgetedHttp(b.budget, json, key == null || key.isBlank() ? null : key);
        this.reporter = new Reporter(this::sendAttempts, b.queueSize, b.linger, b.requestTimeout,
                b.maxReportsPerSecond != null ? b.maxReportsPerSecond
                        : Env.positive("TIMEOUT_POLICY_MAX_REPORTS_PER_SECOND", DEFAULT_MAX_REPORTS_PER_SECOND));
        String service = b.service != null ? b.service : Env.text(System.getenv("TIMEOUT_POLICY_SERVICE"));
        String instance = b.instance != null ? b.instance : Env.text(System.getenv("TIMEOUT_POLICY_INSTANCE"));
        this.attempts = new Attempts(service, instance != null ? instance : Attempts.hostAndPid());
        this.shutdownHook = b.flushAtShutdown ? new Thread(() -> reporter.close(budget), "timeout-policy-exit") : null;
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** A builder whose unset URL, key and cache folder come from TIMEOUT_POLICY_URL, _KEY and _CACHE_DIR. */
    public static Builder builder() {
        return new Builder();
    }

    /** A client configured from the environment variables only. */
    public static TimeoutPolicyClient fromEnvironment() {
        return builder().build();
    }

    /** The start-up configuration of {@code environment} (SPEC 5) within the budget; see the class comment. */
    public StartupConfig startupConfig(String environment, String... pressure) {
        return startupConfig(environment, List.of(pressure), null);
    }

    /**
     * As {@link #startupConfig(String, String...)}, with {@code fallback} for an environment SPEC 3 does not know.
     * Throws {@link TimeoutPolicyException.UnknownEnvironment} only when the service itself says it has no such
     * environment, or when nothing at all knows it; IllegalArgumentException for a malformed name or pressure
     * indicator the service rejects. Nothing else.
     */
    public StartupConfig startupConfig(String environment, List<String> pressure, Fallback fallback) {
        String name = environment(environment);
        List<String> indicators = pressure.stream().map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
        long started = System.nanoTime();
        StartupConfig config;
        try {
            config = ask(name, indicators, started + budget.toNanos());
        } catch (BudgetedHttp.NoAnswer e) {
            config = fallback(name, indicators, e.getMessage(), fallback);
            StartupConfig answered = config;
            LOG.warning(() -> String.format("timeout-policy: start-up configuration of %s from %s after %d ms (%s)",
                    name, answered.source(), (System.nanoTime() - started) / 1_000_000, e.getMessage()));
        }
        configs.put(name, config);
        lastEnvironment = name;
        return config;
    }

    /** True while the fleet circuit of the last environment asked for is open (SPEC 4.6); false before any. */
    public boolean circuitOpen() {
        String name = lastEnvironment;
        StartupConfig config = name == null ? null : configs.get(name);
        return config != null && config.circuitOpen();
    }

    /**
     * Queues one attempt (SPEC 2) to be sent in the background and answers its id; null when it was not queued
     * (invalid, or the queue is full: counted in {@link #reportingStats()}). Never throws, never waits.
     */
    public String report(Attempt attempt) {
        Map<String, Object> body;
        try {
            String environment = attempt.environment() != null ? attempt.environment() : lastEnvironment;
            body = attempts.body(attempt, environment, appliedVersion(environment));
        } catch (RuntimeException e) {
            reporter.countInvalid();
            LOG.warning(() -> "timeout-policy: attempt not reported: " + e.getMessage());
            return null;
        }
        if (baseUrl == null) {
            reporter.countDropped();
            return null;
        }
        return reporter.submit(body) ? (String) body.get("id") : null;
    }

    /** {@link #report(Attempt)} of a success or failure of {@code operation} in the last environment asked for. */
    public String report(String operation, Duration duration, boolean success) {
        return report(Attempt.of(operation, duration, success));
    }

    /** Measures a block and reports it at close: a success unless {@link Timed#fail} was called or it threw. */
    public Timed timed(String operation) {
        return new Timed(this, operation);
    }

    /** Waits up to {@code timeout} for the attempts queued so far to be sent; true if they were. */
    public boolean flush(Duration timeout) {
        return reporter.flush(timeout);
    }

    public ReportingStats reportingStats() {
        return reporter.stats();
    }

    /**
     * Asks whether a deployment may proceed although start-up validation found {@code criticalFailures} (SPEC 4.5;
     * a key with the deployer role). Throws {@link TimeoutPolicyException.DecisionUnavailable} without a decision.
     */
    public Decision bypassDecision(BypassRequest request, Duration timeout) {
        if (baseUrl == null) {
            throw new TimeoutPolicyException.DecisionUnavailable("TIMEOUT_POLICY_URL is not set", 0);
        }
        Map<String, Object> body = request.body(environment(request.environment()), attempts.service());
        BudgetedHttp.Response response;
        try {
            response = http.post(URI.create(baseUrl + "/api/v1/bypass-decisions"), body,
                    System.nanoTime() + timeout.toNanos());
        } catch (BudgetedHttp.NoAnswer e) {
            throw new TimeoutPolicyException.DecisionUnavailable("the service could not be asked: " + e.getMessage(), 0);
        }
        if (response.status() != 201) {
            throw new TimeoutPolicyException.DecisionUnavailable(
                    "HTTP " + response.status() + ": " + http.problem(response), response.status());
        }
        try {
            return Answers.decision(http.parse(response));
        } catch (Answers.ShapeException e) {
            throw new TimeoutPolicyException.DecisionUnavailable("unexpected answer: " + e.getMessage(), 201);
        }
    }

    /**
     * Keeps ONE background watch of {@code environment} (SPEC 10.4; started by the first listener) and calls
     * {@code listener} on its daemon thread with every start-up configuration whose policy version differs from
     * the last one this client had: a promotion, a canary assignment of this instance, a rollback. The watch
     * long-polls with {@code If-None-Match} and {@code Prefer: wait=60}, reconnects after a jittered pause, polls
     * every minute after 5 failures in a row and watches again later. Without TIMEOUT_POLICY_URL nothing is
     * watched. Never throws because of the service; closing the answer removes the listener; {@link #close()}
     * stops every watch.
     */
    public AutoCloseable watch(String environment, java.util.function.Consumer<StartupConfig> listener) {
        String name = environment(environment);
        if (baseUrl == null || closed) {
            return () -> { };
        }
        Watcher watcher = watchers.computeIfAbsent(name, n -> {
            StartupConfig known = configs.get(n);
            return new Watcher(n, known == null ? null : known.policyVersion(), this::askHeld, watchSettings);
        });
        watcher.add(listener);
        synchronized (watcher) {
            if (!watcher.started) {
                watcher.started = true;
                watcher.start();
            }
        }
        return () -> watcher.remove(listener);
    }

    /** What the watch of {@code environment} did so far; null when it is not watched. */
    public WatchStats watchStats(String environment) {
        Watcher watcher = watchers.get(environment(environment));
        return watcher == null ? null : watcher.stats();
    }

    /** The policy version this client applied last for {@code environment} (null: none, or the defaults). */
    Integer appliedVersion(String environment) {
        StartupConfig config = environment == null ? null : configs.get(environment.toLowerCase());
        return config == null ? null : config.policyVersion();
    }

    /** Stops the watches, sends what is still queued within the budget and stops the reporting thread. */
    @Override
    public void close() {
        closed = true;
        watchers.values().forEach(Watcher::close);
        reporter.close(budget);
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook runs or ran
            }
        }
    }

    Double timeoutInForce(String environment, String operation) {
        String name = environment != null ? environment.toLowerCase() : lastEnvironment;
        StartupConfig config = name == null ? null : configs.get(name);
        return config == null || !Timeouts.OPERATIONS.contains(operation) ? null : config.timeout(operation);
    }

    private StartupConfig ask(String environment, List<String> pressure, long deadline) throws BudgetedHttp.NoAnswer {
        return ask(environment, pressure, null, Duration.ZERO, deadline);
    }

    /** One exchange of the watch: null while {@code known} is still the version served to this instance. */
    private StartupConfig askHeld(String environment, Integer known, Duration wait) throws BudgetedHttp.NoAnswer {
        long deadline = System.nanoTime() + wait.toNanos() + budget.toNanos() + Duration.ofSeconds(5).toNanos();
        StartupConfig config = ask(environment, List.of(), known, wait, deadline);
        if (config != null) {
            configs.put(environment, config);
        }
        return config;
    }

    private StartupConfig ask(String environment, List<String> pressure, Integer known, Duration wait, long deadline)
            throws BudgetedHttp.NoAnswer {
        if (baseUrl == null) {
            throw new BudgetedHttp.NoAnswer("TIMEOUT_POLICY_URL is not set");
        }
        String query = pressure.isEmpty() ? ""
                : "?pressure=" + URLEncoder.encode(String.join(",", pressure), StandardCharsets.UTF_8);
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("X-Timeout-Policy-Instance", attempts.instance()); // SPEC 10.2: canary cohorts by instance
        if (known != null) {
            headers.put("If-None-Match", "W/\"" + known + "\"");
            if (!wait.isZero()) {
                headers.put("Prefer", "wait=" + wait.toSeconds());
            }
        }
        BudgetedHttp.Response response = http.get(URI.create(baseUrl + "/api/v1/environments/"
                + URLEncoder.encode(environment, StandardCharsets.UTF_8) + "/startup-config" + query), headers,
                deadline);
        if (known != null && response.status() == 304) {
            return null;
        }
        // Only the service's own verdict on the name is final; a 404 page of a proxy in front of it is an outage.
        String problem = http.problemType(response);
        if (UNKNOWN_ENVIRONMENT.equals(problem)) {
            throw new TimeoutPolicyException.UnknownEnvironment(http.problem(response));
        }
        if (response.status() == 400 && VALIDATION.equals(problem)) {
            throw new IllegalArgumentException(http.problem(response));
        }
        if (response.status() != 200) {
            throw new BudgetedHttp.NoAnswer("HTTP " + response.status() + ": " + http.problem(response));
        }
        JsonNode raw = http.parse(response);
        StartupConfig config;
        try {
            config = Answers.startupConfig(raw);
        } catch (Answers.ShapeException e) {
            throw new BudgetedHttp.NoAnswer("unexpected answer: " + e.getMessage());
        }
        if (raw == null || !config.environment().equals(environment)) {
            throw new BudgetedHttp.NoAnswer("unexpected answer: for environment " + config.environment());
        }
        cache.store(environment, pressure, raw);
        return config;
    }

    private StartupConfig fallback(String environment, List<String> pressure, String error, Fallback fallback) {
        DiskCache.Entry cached = cache.load(environment, pressure);
        if (cached != null) {
            try {
                StartupConfig config = Answers.startupConfig(cached.answer());
                if (config.environment().equals(environment)) {
                    return config.from(Source.CACHE, cached.ageSeconds(), error);
                }
            } catch (Answers.ShapeException unreadable) {
                // an old or damaged file: the defaults answer instead
            }
        }
        if (fallback == null && !Defaults.known(environment)) {
            throw new TimeoutPolicyException.UnknownEnvironment("no start-up configuration for '" + environment
                    + "': the service could not be asked (" + error + "), nothing is cached and SPEC 3 has no"
                    + " defaults for it; pass a Fallback");
        }
        return Defaults.startupConfig(environment, pressure, error, fallback);
    }

    private Reporter.Sent sendAttempts(List<Map<String, Object>> batch, Duration timeout)
            throws BudgetedHttp.NoAnswer {
        BudgetedHttp.Response response = http.post(URI.create(baseUrl + "/api/v1/attempts"), batch,
                System.nanoTime() + timeout.toNanos());
        JsonNode answer = response.status() / 100 == 2 ? http.parse(response) : null;
        return new Reporter.Sent(response.status(), answer == null ? 0 : Answers.duplicates(answer), null);
    }

    /** The service name attempts carry (the builder's, else TIMEOUT_POLICY_SERVICE); may be null. */
    public String service() {
        return attempts.service();
    }

    /** The instance attempts carry (the builder's, else TIMEOUT_POLICY_INSTANCE, else {@code <host>:<pid>}). */
    public String instance() {
        return attempts.instance();
    }

    static String environment(String environment) {
        String name = environment == null ? "" : environment.toLowerCase();
        if (!ENVIRONMENT.matcher(name).matches()) {
            throw new IllegalArgumentException("malformed environment name '" + environment
                    + "' (SPEC 2: [a-z0-9][a-z0-9_-]{0,63})");
        }
        return name;
    }

    /** Options; every one has a default. */
    public static final class Builder {
        private String baseUrl;
        private String apiKey;
        private Path cacheDir;
        private Duration budget = Duration.ofSeconds(2);
        private String service;
        private String instance;
        private int queueSize = 10_000;
        private Integer maxReportsPerSecond;
        private Duration linger = Duration.ofMillis(200);
        private Duration requestTimeout = Duration.ofSeconds(5);
        private boolean flushAtShutdown = true;
        private Watcher.Settings watchSettings = Watcher.Settings.DEFAULT;

        private Builder() {
        }

        public Builder baseUrl(String url) { this.baseUrl = url; return this; }
        public Builder apiKey(String key) { this.apiKey = key; return this; }
        public Builder cacheDir(Path directory) { this.cacheDir = directory; return this; }
        /** The most {@link #startupConfig} waits in all (default 2 s); also the time given to flush at close. */
        public Builder budget(Duration budget) { this.budget = budget; return this; }
        /** Attempts sent a second at most (SPEC 9.1; default TIMEOUT_POLICY_MAX_REPORTS_PER_SECOND, else 200). */
        public Builder maxReportsPerSecond(int max) { this.maxReportsPerSecond = max; return this; }
        /** Sent with every attempt (SPEC 2 {@code service}); default TIMEOUT_POLICY_SERVICE. */
        public Builder service(String service) { this.service = service; return this; }
        /** Sent with every attempt; default TIMEOUT_POLICY_INSTANCE, else {@code <host name>:<process id>}. */
        public Builder instance(String instance) { this.instance = instance; return this; }
        /** Attempts waiting to be sent at most (default 10 000); when full the oldest is dropped and counted. */
        public Builder queueSize(int size) { this.queueSize = size; return this; }
        /** How long the reporting thread waits to gather attempts reported in a row (default 0.2 s). */
        public Builder linger(Duration linger) { this.linger = linger; return this; }
        /** Send what is queued within the budget when the JVM exits (default true). */
        public Builder flushAtShutdown(boolean flush) { this.flushAtShutdown = flush; return this; }

        /**
         * How {@link #watch} behaves (defaults: {@code Prefer: wait=60}, pauses from 0.5 s to 30 s, polling every
         * minute after 5 failures in a row, a watch tried again every 5 polls).
         */
        public Builder watch(Duration wait, int failuresBeforePolling, Duration pollInterval, int resumeAfterPolls) {
            this.watchSettings = new Watcher.Settings(wait, Watcher.Settings.DEFAULT.backoff(), failuresBeforePolling,
                    pollInterval, resumeAfterPolls);
            return this;
        }

        public TimeoutPolicyClient build() {
            if (budget.isNegative() || budget.isZero()) {
                throw new IllegalArgumentException("the budget must be positive");
            }
            return new TimeoutPolicyClient(this);
        }
    }
}
