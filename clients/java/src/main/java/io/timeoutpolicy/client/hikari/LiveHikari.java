package io.timeoutpolicy.client.hikari;

import com.zaxxer.hikari.HikariConfigMXBean;
import io.timeoutpolicy.client.StartupConfig;
import io.timeoutpolicy.client.integration.Knob;
import io.timeoutpolicy.client.integration.Knobs;
import io.timeoutpolicy.client.integration.PoolReports;
import io.timeoutpolicy.client.jdbc.TimeoutPolicyDataSource;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Live values for ONE HikariCP pool (SPEC 9.3): when the watch brings a new policy version, the settings the
 * integration applied at start (never the application's own) are changed through the pool's
 * {@link HikariConfigMXBean} — connectionTimeout, validationTimeout, maximumPoolSize, maxLifetime, all of which
 * HikariCP 7 takes while it runs — and the pgJDBC connect timeouts of new physical connects through the reporting
 * DataSource. Each change is logged once at INFO. A pool whose MXBean cannot be found (not started yet, or
 * registerMbeans turned off again) gets the values at its next start, and the log says so.
 */
final class LiveHikari {

    private static final Logger LOG = Logger.getLogger("io.timeoutpolicy.client");

    private final Set<String> owned;
    private final PoolReports reports;
    private volatile TimeoutPolicyDataSource connects;
    private volatile String poolName;
    private volatile boolean seenRegistered;
    private volatile AutoCloseable subscription;

    LiveHikari(Set<String> owned, PoolReports reports, String poolName) {
        this.owned = owned;
        this.reports = reports;
        this.poolName = poolName;
    }

    void connects(TimeoutPolicyDataSource wrapper) {
        this.connects = wrapper;
    }

    void subscription(AutoCloseable subscription) {
        this.subscription = subscription;
    }

    /** HikariCP named its pool (the tracker factory is called as the pool starts). */
    void started(String name) {
        this.poolName = name;
    }

    /** Applies {@code config}; answers the changes made through the MXBean. Never throws. */
    List<String> apply(StartupConfig config) {
        List<String> changes = new ArrayList<>();
        String name = poolName;
        try {
            HikariConfigMXBean bean = name == null ? null : mxbean(name);
            if (bean == null) {
                if (seenRegistered) { // the pool was closed: nothing to change any more
                    close();
                    return changes;
                }
                LOG.info(() -> "timeout-policy: HikariCP pool " + name + " has no HikariConfigMXBean yet: policy_version "
                        + config.policyVersion() + " of " + config.environment() + " is applied at its next start");
                return changes;
            }
            seenRegistered = true;
            Knobs.HikariKnobs knobs = Knobs.hikari(config);
            long connection = owned.contains("connectionTimeout") ? knobs.connectionTimeout().applied()
                    : bean.getConnectionTimeout();
            long validation = Math.min(knobs.validationTimeout().applied(),
                    Math.max(Knobs.HIKARI_TIMEOUT_FLOOR_MS, connection - 1));
            // validationTimeout stays below connectionTimeout at every moment: lower it first, raise it last
            boolean validationFirst = validation < bean.getValidationTimeout();
            if (validationFirst && owned.contains("validationTimeout")) {
                set(changes, knobs.validationTimeout(), bean.getValidationTimeout(), validation, bean::setValidationTimeout);
            }
            if (owned.contains("connectionTimeout")) {
                set(changes, knobs.connectionTimeout(), bean.getConnectionTimeout(), connection, bean::setConnectionTimeout);
            }
            if (!validationFirst && owned.contains("validationTimeout")) {
                set(changes, knobs.validationTimeout(), bean.getValidationTimeout(), validation, bean::setValidationTimeout);
            }
            if (owned.contains("maximumPoolSize")) {
                set(changes, knobs.maximumPoolSize(), bean.getMaximumPoolSize(), knobs.maximumPoolSize().applied(),
                        v -> bean.setMaximumPoolSize((int) v));
            }
            if (owned.contains("maxLifetime")) {
                set(changes, knobs.maxLifetime(), bean.getMaxLifetime(), knobs.maxLifetime().applied(), bean::setMaxLifetime);
            }
            reports.update(config.policyVersion(), null, bean.getConnectionTimeout() / 1000.0,
                    bean.getValidationTimeout() / 1000.0);
            if (!changes.isEmpty()) {
                LOG.info("timeout-policy: HikariCP pool " + name + " for " + config.environment() + ", policy_version "
                        + config.policyVersion() + " applied live: " + String.join("; ", changes)
                        + " (the pool's waits and validations take the new timeouts at its next housekeeping run,"
                        + " within 30 s; maxLifetime applies to connections made from now on)");
            }
        } catch (RuntimeException | javax.management.MalformedObjectNameException e) {
            LOG.warning(() -> "timeout-policy: HikariCP pool " + name + ": policy_version " + config.policyVersion()
                    + " not applied live (" + e + "): applied at its next start");
        }
        TimeoutPolicyDataSource wrapper = connects;
        if (wrapper != null) {
            wrapper.applyLive(config, "HikariCP pool " + name);
        } else {
            reports.update(config.policyVersion(), null, null, null);
        }
        return changes;
    }

    private static void set(List<String> changes, Knob knob, long current, long next, java.util.function.LongConsumer setter) {
        if (current != next) {
            setter.accept(next);
            changes.add(knob.name() + " " + current + " → " + next + " " + knob.unit() + " (served " + knob.servedKey()
                    + " " + (knob.unit().equals("connections") ? String.valueOf((long) knob.served()) : knob.served() + " s")
                    + (knob.change() == null ? "" : ": " + knob.change()) + ")");
        }
    }

    /** The pool's HikariConfigMXBean in the platform MBean server (both of HikariCP's naming schemes). */
    static HikariConfigMXBean mxbean(String poolName) throws javax.management.MalformedObjectNameException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (String name : List.of("com.zaxxer.hikari:type=PoolConfig (" + poolName + ")",
                "com.zaxxer.hikari:type=PoolConfig,name=" + poolName)) {
            ObjectName objectName = new ObjectName(name);
            if (server.isRegistered(objectName)) {
                return JMX.newMXBeanProxy(server, objectName, HikariConfigMXBean.class);
            }
        }
        return null;
    }

    private void close() {
        AutoCloseable s = subscription;
        if (s != null) {
            try {
                s.close();
            } catch (Exception ignored) {
                // removing a listener does not fail
            }
        }
    }
}
