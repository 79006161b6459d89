package io.timeoutpolicy.client.jdbc;

import io.timeoutpolicy.client.StartupConfig;
import io.timeoutpolicy.client.integration.Knob;
import io.timeoutpolicy.client.integration.Knobs;
import io.timeoutpolicy.client.integration.PoolReports;
import io.timeoutpolicy.client.integration.Served;
import io.timeoutpolicy.client.integration.TimeoutPolicyIntegration;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A DataSource whose every physical connect is reported (SPEC 9.1): {@code connection} with its duration, outcome,
 * classified failure and the connect timeout in force; the first success as {@code initialization}; each
 * {@code isValid} of its connections as {@code health_check}. {@link #wrap} also applies the served connect
 * timeout to a pgJDBC DataSource ({@code connectTimeout} and {@code loginTimeout}, integer seconds rounded up):
 *
 * <pre>{@code
 * DataSource ds = TimeoutPolicyDataSource.wrap(pgSimpleDataSource);   // TIMEOUT_POLICY_* variables
 * }</pre>
 */
public final class TimeoutPolicyDataSource implements DataSource {

    private static final Logger LOG = Logger.getLogger("io.timeoutpolicy.client");

    private volatile DataSource target; // replaced when a live change rebuilds a driver DataSource
    private final PoolReports reports;
    private final boolean ownsLoginTimeout;
    private final Served served;
    private final LiveConnects live;

    private TimeoutPolicyDataSource(DataSource target, PoolReports reports, boolean ownsLoginTimeout, Served served,
            LiveConnects live) {
        this.target = target;
        this.reports = reports;
        this.ownsLoginTimeout = ownsLoginTimeout;
        this.served = served;
        this.live = live;
    }

    /** {@link #wrap(DataSource, TimeoutPolicyIntegration)} with the process's integration (environment variables). */
    public static TimeoutPolicyDataSource wrap(DataSource target) {
        return wrap(target, TimeoutPolicyIntegration.fromEnvironment());
    }

    /**
     * Asks the start-up configuration within the budget (service, cache, defaults; never throws because of the
     * service), applies the connect timeouts to a pgJDBC DataSource unless the application set them, and reports.
     * Without an environment, or for an environment nothing knows, {@code target} is used as it is.
     */
    public static TimeoutPolicyDataSource wrap(DataSource target, TimeoutPolicyIntegration integration) {
        StartupConfig config = integration.startupConfig();
        if (config == null) {
            return new TimeoutPolicyDataSource(target, null, false, Served.NONE, null);
        }
        List<Knob> applied = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        Double inForce = applyConnectTimeouts(target, Knobs.pgJdbc(config), applied, kept);
        boolean ownsLogin = inForce != null && applied.stream().anyMatch(k -> k.name().equals("loginTimeout"));
        Served served = new Served(config.environment(), config.source(), config.policyVersion(),
                config.cacheAgeSeconds(), config, List.copyOf(applied), List.copyOf(kept));
        TimeoutPolicyIntegration.logApplied("pgJDBC DataSource", null, served);
        TimeoutPolicyDataSource wrapper = new TimeoutPolicyDataSource(target, integration.pool(config, inForce, null,
                null), ownsLogin, served, LiveConnects.of(applied, null, null));
        // SPEC 9.3: a new policy version reaches the connects made after it
        integration.onChange(changed -> wrapper.applyLive(changed, "pgJDBC DataSource"));
        return wrapper;
    }

    /**
     * Applies the connect timeouts of a newly served configuration to the physical connects made from now on
     * (the ones the application did not set itself), and reports with its policy version; logs the change once
     * at INFO. Answers what changed, empty when nothing did. Never throws.
     */
    public List<String> applyLive(StartupConfig config, String manager) {
        List<String> changes = new ArrayList<>();
        try {
            Integer inForce = null;
            if (live != null) {
                Knobs.PgJdbcKnobs knobs = Knobs.pgJdbc(config);
                live.apply(target, knobs, changes, rebuilt -> target = rebuilt);
                inForce = live.loginTimeout();
            }
            if (reports != null) {
                reports.update(config.policyVersion(), inForce == null ? null : inForce.doubleValue(), null, null);
            }
            if (!changes.isEmpty()) {
                LOG.info("timeout-policy: " + manager + " for " + config.environment() + ", policy_version "
                        + config.policyVersion() + ", new connects: " + String.join("; ", changes));
            }
        } catch (RuntimeException e) {
            LOG.warning(() -> "timeout-policy: " + manager + ": policy_version " + config.policyVersion()
                    + " not applied (" + e + ")");
        }
        return changes;
    }

    /** The driver's connect timeouts the integration applies now (seconds, by pgJDBC name); empty when none. */
    public java.util.Map<String, Integer> connectTimeoutsInForce() {
        return live == null ? java.util.Map.of() : live.inForce();
    }

    /**
     * Applies pgJDBC's connectTimeout and loginTimeout to {@code target} when it is a pgJDBC DataSource, unless the
     * application set them (anything but the driver's defaults, 10 s and none); answers the login timeout in force
     * in seconds, null when {@code target} is not pgJDBC's.
     */
    public static Double applyConnectTimeouts(DataSource target, Knobs.PgJdbcKnobs knobs, List<Knob> applied,
            List<String> kept) {
        Object pg = PgJdbc.pgDataSource(target);
        if (pg == null) {
            kept.add(target.getClass().getName() + " is not a pgJDBC DataSource: its connect timeouts are its own");
            return null;
        }
        PgJdbc.Kept own = PgJdbc.apply(pg, (int) knobs.connectTimeout().applied(), (int) knobs.loginTimeout().applied());
        if (own.connectTimeout() == null) {
            applied.add(knobs.connectTimeout());
        } else {
            kept.add("connectTimeout = " + own.connectTimeout() + " s set by the application (served "
                    + knobs.connectTimeout().applied() + " s)");
        }
        if (own.loginTimeout() == null) {
            applied.add(knobs.loginTimeout());
        } else {
            kept.add("loginTimeout = " + own.loginTimeout() + " s set by the application (served "
                    + knobs.loginTimeout().applied() + " s)");
        }
        return (double) (own.loginTimeout() != null ? own.loginTimeout() : knobs.loginTimeout().applied());
    }

    /**
     * A reporting wrapper whose settings an integration (HikariCP's) applied itself. With {@code ownsLoginTimeout}
     * a pool's {@code setLoginTimeout} is ignored: the served one stays in force (HikariCP would otherwise set the
     * driver's login timeout from its own connectionTimeout).
     */
    public static TimeoutPolicyDataSource reporting(DataSource target, PoolReports reports, boolean ownsLoginTimeout,
            Served served) {
        return reporting(target, reports, ownsLoginTimeout, served, null, null);
    }

    /**
     * As {@link #reporting(DataSource, PoolReports, boolean, Served)}, able to apply new connect timeouts live: a
     * pgJDBC DataSource through its setters; another ({@code rebuild} given) by making it again from
     * {@code properties} with the new values.
     */
    public static TimeoutPolicyDataSource reporting(DataSource target, PoolReports reports, boolean ownsLoginTimeout,
            Served served, java.util.Properties properties,
            java.util.function.Function<java.util.Properties, DataSource> rebuild) {
        return new TimeoutPolicyDataSource(target, reports, ownsLoginTimeout, served,
                LiveConnects.of(served.applied(), properties, rebuild));
    }

    /** {@code physical} with its {@code isValid} checks reported as {@code health_check} (for other integrations). */
    public static Connection reportingConnection(Connection physical, PoolReports reports) {
        return ReportingConnections.wrap(physical, reports);
    }

    /** What was applied and from where; {@link Served#NONE} when nothing was. */
    public Served served() {
        return served;
    }

    /** The DataSource connects go to. */
    public DataSource target() {
        return target;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connect(null, null, false);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return connect(username, password, true);
    }

    private Connection connect(String username, String password, boolean withCredentials) throws SQLException {
        if (reports == null) {
            return withCredentials ? target.getConnection(username, password) : target.getConnection();
        }
        long start = reports.connectStarting();
        Connection physical;
        try {
            physical = withCredentials ? target.getConnection(username, password) : target.getConnection();
        } catch (SQLException | RuntimeException e) {
            reports.connectFailed(start, e);
            throw e;
        }
        reports.connected(start);
        return ReportingConnections.wrap(physical, reports);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        if (ownsLoginTimeout) {
            LOG.fine(() -> "timeout-policy: setLoginTimeout(" + seconds + ") ignored: the served loginTimeout stays");
            return;
        }
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : target.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || target.isWrapperFor(type);
    }
}
