package io.timeoutpolicy.startup;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.runtime.configuration.MemorySize;
import io.timeoutpolicy.alerts.AlertsConfig;
import io.timeoutpolicy.alerts.delivery.DeliverySettings;
import io.timeoutpolicy.alerts.delivery.ReceiverSettings;
import io.timeoutpolicy.bypass.BypassConfig;
import io.timeoutpolicy.history.HistoryConfig;
import io.timeoutpolicy.platform.database.DatabaseConfig;
import io.timeoutpolicy.platform.database.DatabaseNotifications;
import io.timeoutpolicy.platform.database.WriteBehind;
import io.timeoutpolicy.policy.PoliciesConfig;
import io.timeoutpolicy.recording.RecordingConfig;
import io.timeoutpolicy.security.SecurityConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Bad configuration stops the start (SPEC 7): before anything else starts, every property of the service is
 * checked by {@link ConfigRules}, and a mistake ends the process (exit code 1) with one line per property naming
 * it and what is wrong, rather than a service that starts and then fails every request. Values SmallRye Config
 * cannot convert at all (a duration "5 parsecs", an unknown receiver format) already stop it earlier, naming the
 * property too.
 */
@ApplicationScoped
public class ConfigurationCheck {

    private static final String P = "timeout-policy.";
    private static final Duration DAY = Duration.ofDays(1);
    private static final int MAX_CAPACITY = 10_000_000;

    @Inject
    SecurityConfig security;
    @Inject
    AlertsConfig alerts;
    @Inject
    HistoryConfig history;
    @Inject
    DatabaseConfig database;
    @Inject
    PoliciesConfig policies;
    @Inject
    RecordingConfig recording;
    @Inject
    BypassConfig bypass;
    @ConfigProperty(name = "timeout-policy.http.max-url-length")
    int maxUrlLength;
    @ConfigProperty(name = "timeout-policy.http.max-header-size")
    MemorySize maxHeaderSize;
    @ConfigProperty(name = "timeout-policy.http.latency-buckets")
    List<Duration> latencyBuckets;

    void check(@Observes @Priority(0) StartupEvent start) {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new ConfigurationException("The configuration has " + problems.size() + " mistake(s); the service"
                    + " does not start:\n\t" + String.join("\n\t", problems), new HashSet<>(keys(problems)));
        }
    }

    List<String> problems() {
        ConfigRules rules = new ConfigRules();
        security.keys().forEach((name, key) -> rules
                .sha256(P + "security.keys." + name + ".sha256", key.sha256())
                .roles(P + "security.keys." + name + ".roles", key.roles()));
        alerts.receivers().forEach((name, receiver) -> receiver(rules, P + "alerts.receivers." + name + ".", receiver));
        delivery(rules, P + "alerts.delivery.", alerts.delivery());
        rules.positive(P + "alerts.heartbeat-interval", alerts.heartbeatInterval(), Duration.ofMinutes(10));
        writeBehind(rules, P + "alerts.write-behind.", alerts.writeBehind());
        writeBehind(rules, P + "recording.write-behind.", recording.writeBehind());
        writeBehind(rules, P + "bypass.write-behind.", bypass.writeBehind());
        rules.range(P + "recording.group-commit.writer-concurrency", recording.groupCommit().writerConcurrency(), 1, 64)
                .range(P + "recording.group-commit.max-batch-rows", recording.groupCommit().maxBatchRows(), 1, 100_000);
        history(rules);
        rules.notNegative(P + "database.startup-wait", database.startupWait())
                .positive(P + "database.bootstrap-retry-interval", database.bootstrapRetryInterval(), DAY)
                .positive(P + "database.catch-up-limit", database.catchUpLimit(), DAY)
                .positive(P + "policies.refresh-interval", policies.refreshInterval(), DAY)
                .range(P + "http.max-url-length", maxUrlLength, 256, 65_536)
                .range(P + "http.max-header-size", maxHeaderSize.asLongValue(), 1024, 65_536);
        for (Duration bucket : latencyBuckets) {
            rules.positive(P + "http.latency-buckets", bucket, Duration.ofMinutes(10));
        }
        List<String> problems = new java.util.ArrayList<>(rules.problems());
        // LISTEN cannot work through a transaction-mode pooler (docs/pgbouncer.md).
        DatabaseNotifications.missingNotificationsUrl(database.pooler(), database.notificationsUrl())
                .ifPresent(problems::add);
        return problems;
    }

    private static void receiver(ConfigRules rules, String at, ReceiverSettings receiver) {
        rules.httpUrl(at + "url", receiver.url());
        receiver.minLevel().ifPresent(level -> rules.level(at + "min-level", level));
        receiver.environments().ifPresent(names -> rules.environments(at + "environments", names));
    }

    private static void delivery(ConfigRules rules, String at, DeliverySettings delivery) {
        rules.range(at + "queue-capacity", delivery.queueCapacity(), 1, MAX_CAPACITY)
                .positive(at + "timeout", delivery.timeout(), Duration.ofMinutes(5))
                .positive(at + "initial-backoff", delivery.initialBackoff(), DAY)
                .positive(at + "max-backoff", delivery.maxBackoff(), DAY)
                .atLeast(at + "max-backoff", delivery.maxBackoff(), at + "initial-backoff", delivery.initialBackoff())
                .positive(at + "give-up-after", delivery.giveUpAfter(), Duration.ofDays(7))
                .notNegative(at + "shutdown-wait", delivery.shutdownWait())
                .httpUrl(at + "dashboard-url", delivery.dashboardUrl())
                .range(at + "circuit-breaker.request-volume-threshold",
                        delivery.circuitBreaker().requestVolumeThreshold(), 1, 1000)
                .ratio(at + "circuit-breaker.failure-ratio", delivery.circuitBreaker().failureRatio())
                .positive(at + "circuit-breaker.delay", delivery.circuitBreaker().delay(), DAY);
    }

    private static void writeBehind(ConfigRules rules, String at, WriteBehind.Settings settings) {
        rules.range(at + "capacity", settings.capacity(), 1, MAX_CAPACITY)
                .range(at + "batch-size", settings.batchSize(), 1, Math.max(1, Math.min(settings.capacity(), 100_000)))
                .positive(at + "flush-interval", settings.flushInterval(), Duration.ofMinutes(10))
                .notNegative(at + "shutdown-wait", settings.shutdownWait())
                .positive(at + "retry-after", settings.retryAfter(), Duration.ofHours(1));
    }

    private void history(ConfigRules rules) {
        String at = P + "history.";
        rules.positive(at + "horizon", history.horizon(), Duration.ofDays(366))
                .positive(at + "refresh-interval", history.refreshInterval(), DAY)
                .notNegative(at + "refresh-lookback", history.refreshLookback())
                .range(at + "refresh-page-size", history.refreshPageSize(), 1, 1_000_000)
                .range(at + "catch-up.page-size", history.catchUp().pageSize(), 1, 1_000_000)
                .positive(at + "catch-up.retry-initial-delay", history.catchUp().retryInitialDelay(), DAY)
                .positive(at + "catch-up.retry-max-delay", history.catchUp().retryMaxDelay(), DAY)
                .atLeast(at + "catch-up.retry-max-delay", history.catchUp().retryMaxDelay(),
                        at + "catch-up.retry-initial-delay", history.catchUp().retryInitialDelay())
                .positive(at + "catch-up.retry-after", history.catchUp().retryAfter(), DAY)
                .positive(at + "catch-up.log-interval", history.catchUp().logInterval(), DAY)
                .positive(at + "retention", history.retention(), Duration.ofDays(3660))
                .atLeast(at + "retention", history.retention(), at + "horizon", history.horizon())
                .positive(at + "prune-interval", history.pruneInterval(), DAY)
                .range(at + "prune-batch-size", history.pruneBatchSize(), 1, 1_000_000)
                .range(at + "services-per-environment", history.servicesPerEnvironment(), 1, 10_000_000);
    }

    /** The property named at the start of each problem line. */
    private static List<String> keys(List<String> problems) {
        return problems.stream().map(line -> line.split(" ", 2)[0]).toList();
    }

}
