package io.timeoutpolicy.client.hikari;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.util.DriverDataSource;
import com.zaxxer.hikari.util.PropertyElf;
import io.timeoutpolicy.client.StartupConfig;
import io.timeoutpolicy.client.integration.Knob;
import io.timeoutpolicy.client.integration.Knobs;
import io.timeoutpolicy.client.integration.PoolReports;
import io.timeoutpolicy.client.integration.Served;
import io.timeoutpolicy.client.integration.TimeoutPolicyIntegration;
import io.timeoutpolicy.client.jdbc.TimeoutPolicyDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * HikariCP with the service's timeouts, one line before the pool is made (SPEC 9.2):
 *
 * <pre>{@code
 * HikariConfig config = new HikariConfig();
 * config.setJdbcUrl("jdbc:postgresql://db:5432/orders");
 * TimeoutPolicyHikari.configure(config);          // TIMEOUT_POLICY_URL, _ENVIRONMENT, _SERVICE, …
 * HikariDataSource pool = new HikariDataSource(config);
 * }</pre>
 *
 * <p>{@code connectionTimeout} ← {@code pool_timeout} (ms, floor 250), {@code validationTimeout} ←
 * {@code health_check_timeout} (ms, floor 250, kept below connectionTimeout), pgJDBC {@code connectTimeout} and
 * {@code loginTimeout} ← {@code connection_timeout} (integer s, rounded up), {@code maximumPoolSize} ←
 * {@code pool_size + max_overflow}, {@code maxLifetime} ← {@code pool_recycle} (ms). A value the application set
 * (anything but HikariCP's or pgJDBC's default) is kept, and the log says so. Connects, validations, waits over
 * the threshold and acquisition time-outs are reported in the background.
 */
public final class TimeoutPolicyHikari {

    private static final Logger LOG = Logger.getLogger("io.timeoutpolicy.client");
    // HikariCP 7.1.0's defaults: a value other than these was set by the application, which wins.
    static final long DEFAULT_CONNECTION_TIMEOUT = 30_000;
    static final long DEFAULT_VALIDATION_TIMEOUT = 5_000;
    static final int DEFAULT_MAXIMUM_POOL_SIZE = 10;
    static final long DEFAULT_MAX_LIFETIME = 1_800_000;
    private static final java.util.concurrent.atomic.AtomicLong POOLS = new java.util.concurrent.atomic.AtomicLong();

    private TimeoutPolicyHikari() {
    }

    /** {@link #configure(HikariConfig, TimeoutPolicyIntegration)} with the process's integration. */
    public static Served configure(HikariConfig config) {
        return configure(config, TimeoutPolicyIntegration.fromEnvironment());
    }

    /**
     * Applies the served values to {@code config} and installs the reporting hooks; call it before the pool is
     * made. Waits on the service at most the client's budget (2 s) and never throws because of it.
     */
    public static Served configure(HikariConfig config, TimeoutPolicyIntegration integration) {
        if (config.getDataSource() instanceof TimeoutPolicyDataSource already) { // configure() called twice
            return already.served();
        }
        StartupConfig served = integration.startupConfig();
        if (served == null) {
            return Served.NONE;
        }
        Knobs.HikariKnobs knobs = Knobs.hikari(served);
        List<Knob> applied = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        if (config.getConnectionTimeout() == DEFAULT_CONNECTION_TIMEOUT) {
            config.setConnectionTimeout(knobs.connectionTimeout().applied());
            applied.add(knobs.connectionTimeout());
        } else {
            kept.add(own("connectionTimeout", config.getConnectionTimeout() + " ms", knobs.connectionTimeout()));
        }
        if (config.getValidationTimeout() == DEFAULT_VALIDATION_TIMEOUT) {
            long value = Math.min(knobs.validationTimeout().applied(),
                    Math.max(Knobs.HIKARI_TIMEOUT_FLOOR_MS, config.getConnectionTimeout() - 1));
            Knob knob = value == knobs.validationTimeout().applied() ? knobs.validationTimeout()
                    : new Knob("validationTimeout", "health_check_timeout", knobs.validationTimeout().served(), value,
                            "ms", "kept below the application's connectionTimeout");
            config.setValidationTimeout(knob.applied());
            applied.add(knob);
        } else {
            kept.add(own("validationTimeout", config.getValidationTimeout() + " ms", knobs.validationTimeout()));
        }
        if (config.getMaximumPoolSize() == DEFAULT_MAXIMUM_POOL_SIZE) {
            config.setMaximumPoolSize((int) knobs.maximumPoolSize().applied());
            applied.add(knobs.maximumPoolSize());
        } else {
            kept.add(own("maximumPoolSize", String.valueOf(config.getMaximumPoolSize()), knobs.maximumPoolSize()));
        }
        if (config.getMaxLifetime() == DEFAULT_MAX_LIFETIME) {
            config.setMaxLifetime(knobs.maxLifetime().applied());
            applied.add(knobs.maxLifetime());
        } else {
            kept.add(own("maxLifetime", config.getMaxLifetime() + " ms", knobs.maxLifetime()));
        }

        Double connectInForce = applyDriverTimeouts(config, knobs.pgJdbc(), applied, kept);
        Served result = new Served(served.environment(), served.source(), served.policyVersion(),
                served.cacheAgeSeconds(), served, List.copyOf(applied), List.copyOf(kept));
        PoolReports reports = integration.pool(served, connectInForce, config.getConnectionTimeout() / 1000.0,
                config.getValidationTimeout() / 1000.0);
        // SPEC 9.3: live values go through the pool's HikariConfigMXBean, found in JMX by the pool's name
        config.setRegisterMbeans(true);
        if (config.getPoolName() == null && config.getMetricRegistry() != null) { // no tracker to learn it from
            config.setPoolName("timeout-policy-" + served.environment() + "-" + POOLS.incrementAndGet());
        }
        LiveHikari live = new LiveHikari(applied.stream().map(Knob::name).collect(java.util.stream.Collectors.toSet()),
                reports, config.getPoolName());
        live.connects(installDataSource(config, reports, result, connectInForce != null && kept.stream()
                .noneMatch(k -> k.startsWith("loginTimeout"))));
        if (config.getMetricRegistry() == null) {
            config.setMetricsTrackerFactory(new HikariTracker(reports, config.getMetricsTrackerFactory(),
                    config.getConnectionTimeout(), live::started));
        } else {
            LOG.info("timeout-policy: the pool has a metricRegistry, which HikariCP does not combine with a tracker"
                    + " factory: its waits are not reported (its connects are)");
        }
        TimeoutPolicyIntegration.logApplied("HikariCP", config.getPoolName(), result);
        live.subscription(integration.onChange(live::apply));
        return result;
    }

    /**
     * pgJDBC's connectTimeout and loginTimeout as data source properties (read by the driver whether the pool
     * connects by jdbcUrl or through a PGSimpleDataSource class name); answers the login timeout in force (s).
     */
    private static Double applyDriverTimeouts(HikariConfig config, Knobs.PgJdbcKnobs knobs, List<Knob> applied,
            List<String> kept) {
        if (config.getDataSource() != null) { // the application's own DataSource object: its setters
            return TimeoutPolicyDataSource.applyConnectTimeouts(config.getDataSource(), knobs, applied, kept);
        }
        boolean postgres = config.getJdbcUrl() != null ? config.getJdbcUrl().startsWith("jdbc:postgresql:")
                : config.getDataSourceClassName() != null && config.getDataSourceClassName().startsWith("org.postgresql.");
        if (!postgres) {
            kept.add("not pgJDBC: the driver's connect timeouts are its own");
            return null;
        }
        Properties properties = config.getDataSourceProperties();
        Double inForce = null;
        for (Knob knob : List.of(knobs.connectTimeout(), knobs.loginTimeout())) {
            String own = explicit(config.getJdbcUrl(), properties, knob.name());
            if (own == null) {
                config.addDataSourceProperty(knob.name(), String.valueOf(knob.applied()));
                applied.add(knob);
                if (knob.name().equals("loginTimeout")) {
                    inForce = (double) knob.applied();
                }
            } else {
                kept.add(own(knob.name(), own + " s", knob));
                if (knob.name().equals("loginTimeout")) {
                    inForce = parse(own);
                }
            }
        }
        return inForce;
    }

    /** The pool connects through the reporting wrapper of the DataSource HikariCP would otherwise make itself. */
    private static TimeoutPolicyDataSource installDataSource(HikariConfig config, PoolReports reports, Served served,
            boolean ownsLoginTimeout) {
        DataSource target;
        Properties properties = null;
        java.util.function.Function<Properties, DataSource> rebuild = null;
        try {
            if (config.getDataSource() != null) {
                target = config.getDataSource();
            } else if (config.getDataSourceClassName() != null) {
                target = (DataSource) Class.forName(config.getDataSourceClassName()).getDeclaredConstructor()
                        .newInstance();
                PropertyElf.setTargetFromProperties(target, config.getDataSourceProperties());
                config.setDataSourceClassName(null);
            } else if (config.getJdbcUrl() != null) {
                String url = config.getJdbcUrl();
                String driver = config.getDriverClassName();
                String user = config.getUsername();
                String password = config.getPassword();
                properties = new Properties();
                properties.putAll(config.getDataSourceProperties());
                target = new DriverDataSource(url, driver, properties, user, password);
                // DriverDataSource copies its properties: new connect timeouts need a new one (SPEC 9.3)
                rebuild = p -> new DriverDataSource(url, driver, p, user, password);
            } else {
                LOG.info("timeout-policy: a JNDI DataSource is not wrapped: its connects are not reported");
                return null;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warning(() -> "timeout-policy: the pool's DataSource could not be wrapped (" + e
                    + "): its connects are not reported");
            return null;
        }
        TimeoutPolicyDataSource wrapper = TimeoutPolicyDataSource.reporting(target, reports, ownsLoginTimeout, served,
                properties, rebuild);
        config.setDataSource(wrapper);
        return wrapper;
    }

    private static String explicit(String url, Properties properties, String name) {
        String own = properties.getProperty(name);
        if (own == null && url != null) {
            var m = java.util.regex.Pattern.compile("[?&]" + name + "=([^&]*)").matcher(url);
            own = m.find() ? m.group(1) : null;
        }
        return own;
    }

    private static Double parse(String seconds) {
        try {
            return Double.parseDouble(seconds);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String own(String name, String value, Knob served) {
        return name + " = " + value + " set by the application (served " + served.applied() + " " + served.unit()
                + ")";
    }
}
