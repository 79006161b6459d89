package io.timeoutpolicy.quarkus;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import io.timeoutpolicy.client.StartupConfig;
import io.timeoutpolicy.client.integration.Knob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Live values for the default Agroal datasource (SPEC 9.3). Agroal's pool configuration has three mutable
 * attributes, read by the running pool at every acquisition — {@code acquisitionTimeout}, {@code maxSize},
 * {@code minSize} — so a newly served {@code pool_timeout} and pool size reach it at once; pgJDBC's
 * {@code connectTimeout} and {@code loginTimeout} reach every physical connect made from then on through
 * {@link TimeoutPolicyDriver}. Agroal fixes {@code maxLifetime} and the validation timeout (Quarkus's
 * {@code validation-query-timeout}) when the pool is made: those are applied at the next start, and the log says
 * so. Only properties this integration set are changed, never the application's own. Each change is logged once.
 */
final class LiveAgroal {

    private static final Logger LOG = Logger.getLogger("io.timeoutpolicy.client");
    static final String ACQUISITION = QuarkusKnobs.JDBC + "acquisition-timeout";
    static final String MAX_SIZE = QuarkusKnobs.JDBC + "max-size";
    static final String CONNECT = QuarkusKnobs.JDBC + "additional-jdbc-properties.connectTimeout";
    static final String LOGIN = QuarkusKnobs.JDBC + "additional-jdbc-properties.loginTimeout";
    /** Fixed when Agroal makes the pool. */
    static final List<String> AT_NEXT_START = List.of(QuarkusKnobs.JDBC + "validation-query-timeout",
            QuarkusKnobs.JDBC + "max-lifetime");

    /** The one running datasource's live values, read by the driver at every connect; null before the start. */
    private static volatile LiveAgroal current;

    private final QuarkusIntegration quarkus;
    private final AgroalConnectionPoolConfiguration pool;
    /** pgJDBC property → the value new connects take, for the properties this integration owns. */
    private final Map<String, String> connectProperties = new ConcurrentHashMap<>();
    private volatile Integer appliedVersion;

    private LiveAgroal(QuarkusIntegration quarkus, AgroalConnectionPoolConfiguration pool) {
        this.quarkus = quarkus;
        this.pool = pool;
    }

    /** Starts following the served version for the default datasource, if the application has one. */
    static void start(QuarkusIntegration quarkus) {
        AgroalDataSource dataSource;
        try (InstanceHandle<AgroalDataSource> handle = Arc.container().instance(AgroalDataSource.class)) {
            dataSource = handle.isAvailable() ? handle.get() : null;
        }
        if (dataSource == null) {
            return;
        }
        LiveAgroal live = new LiveAgroal(quarkus, dataSource.getConfiguration().connectionPoolConfiguration());
        live.appliedVersion = quarkus.config().policyVersion();
        current = live;
        LOG.info("timeout-policy: Agroal datasource <default> follows " + quarkus.config().environment() + " live:"
                + " acquisition-timeout and max-size through Agroal's mutable pool configuration, connectTimeout and"
                + " loginTimeout for new connects; validation-query-timeout and max-lifetime are fixed when Agroal makes"
                + " the pool, so a change of them is applied at the next start");
        quarkus.integration().onChange(live::apply);
    }

    /** The properties of a connect with the live connect timeouts; {@code info} itself when there are none. */
    static Properties connectProperties(Properties info) {
        LiveAgroal live = current;
        if (live == null || live.connectProperties.isEmpty()) {
            return info;
        }
        Properties copy = new Properties();
        if (info != null) {
            copy.putAll(info);
        }
        live.connectProperties.forEach(copy::setProperty);
        return copy;
    }

    /** Applies a newly served configuration; answers the changes made. Never throws. */
    List<String> apply(StartupConfig config) {
        List<String> changes = new ArrayList<>();
        List<String> later = new ArrayList<>();
        try {
            if (config.policyVersion() != null && config.policyVersion().equals(appliedVersion)) {
                return changes;
            }
            Map<String, Knob> served = QuarkusKnobs.properties(config);
            Knob acquisition = served.get(ACQUISITION);
            if (owned(ACQUISITION)) {
                Duration next = Duration.ofMillis(acquisition.applied());
                Duration now = pool.acquisitionTimeout();
                if (!next.equals(now)) {
                    pool.setAcquisitionTimeout(next);
                    changes.add("acquisition-timeout " + now + " → " + next + " (served pool_timeout "
                            + acquisition.served() + " s)");
                }
            }
            Knob size = served.get(MAX_SIZE);
            if (owned(MAX_SIZE) && size.applied() != pool.maxSize()) {
                if (size.applied() < pool.minSize()) {
                    later.add("max-size " + size.applied() + " (below min-size " + pool.minSize() + ")");
                } else {
                    changes.add("max-size " + pool.maxSize() + " → " + size.applied() + " connections (served "
                            + size.servedKey() + ")");
                    pool.setMaxSize((int) size.applied());
                }
            }
            for (String property : List.of(CONNECT, LOGIN)) {
                if (owned(property)) {
                    String name = property.substring(property.lastIndexOf('.') + 1);
                    String next = String.valueOf(served.get(property).applied());
                    String now = connectProperties.getOrDefault(name, value(property));
                    if (!next.equals(now)) {
                        connectProperties.put(name, next);
                        changes.add(name + " " + now + " → " + next + " s for new connects (served "
                                + served.get(property).servedKey() + " " + served.get(property).served() + " s)");
                    }
                }
            }
            for (String property : AT_NEXT_START) {
                Knob knob = served.get(property);
                if (knob != null && owned(property) && !QuarkusKnobs.text(property, knob).equals(value(property))) {
                    later.add(property.substring(QuarkusKnobs.JDBC.length()) + " " + QuarkusKnobs.text(property, knob));
                }
            }
            appliedVersion = config.policyVersion();
            Double connect = connectProperties.containsKey("loginTimeout")
                    ? Double.valueOf(connectProperties.get("loginTimeout")) : null;
            quarkus.jdbc(null).update(config.policyVersion(), connect, pool.acquisitionTimeout().toMillis() / 1000.0,
                    null);
            if (!changes.isEmpty()) {
                LOG.info("timeout-policy: Agroal datasource <default> for " + config.environment() + ", policy_version "
                        + config.policyVersion() + " applied live: " + String.join("; ", changes));
            }
            if (!later.isEmpty()) {
                LOG.info("timeout-policy: Agroal datasource <default> for " + config.environment() + ", policy_version "
                        + config.policyVersion() + ": " + String.join("; ", later) + " need a new pool: applied at the"
                        + " next start");
            }
        } catch (RuntimeException e) {
            LOG.warning(() -> "timeout-policy: Agroal datasource <default>: policy_version " + config.policyVersion()
                    + " not applied live (" + e + "): applied at its next start");
        }
        return changes;
    }

    /** True when this integration set the property (the application did not set it itself). */
    private static boolean owned(String property) {
        return TimeoutPolicyConfigSourceFactory.NAME.equals(
                ConfigProvider.getConfig().getConfigValue(property).getSourceName());
    }

    private static String value(String property) {
        return ConfigProvider.getConfig().getConfigValue(property).getValue();
    }
}
