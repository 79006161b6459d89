package io.timeoutpolicy.quarkus;

import io.timeoutpolicy.client.integration.PoolReports;
import io.timeoutpolicy.client.jdbc.TimeoutPolicyDataSource;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * pgJDBC's driver, with every physical connect Agroal makes reported (SPEC 9.1): duration, outcome, classified
 * failure, the login timeout in force; the first success as {@code initialization}; Agroal's {@code isValid}
 * validations as {@code health_check}. Agroal calls no CDI listener of its own in Quarkus 3.34 (only
 * {@code AgroalPoolInterceptor}s, which see neither failures nor durations), so the connect itself is wrapped.
 * Set as {@code quarkus.datasource.jdbc.driver} by the ConfigSource; not registered with DriverManager.
 */
public final class TimeoutPolicyDriver implements Driver {

    private final Driver pgJdbc = new org.postgresql.Driver();

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        QuarkusIntegration quarkus = QuarkusIntegration.current();
        if (quarkus == null || !acceptsURL(url)) {
            return pgJdbc.connect(url, info);
        }
        // A newly served connect timeout (SPEC 9.3) reaches every physical connect from now on.
        info = LiveAgroal.connectProperties(info);
        PoolReports reports = quarkus.jdbc(loginTimeout(url, info));
        long start = reports.connectStarting();
        Connection physical;
        try {
            physical = pgJdbc.connect(url, info);
        } catch (SQLException | RuntimeException e) {
            reports.connectFailed(start, e);
            throw e;
        }
        reports.connected(start);
        return TimeoutPolicyDataSource.reportingConnection(physical, reports);
    }

    /** pgJDBC's loginTimeout (s) from the properties or the URL; else connectTimeout; null when neither. */
    static Double loginTimeout(String url, Properties info) {
        for (String name : new String[] {"loginTimeout", "connectTimeout"}) {
            String value = info == null ? null : info.getProperty(name);
            if (value == null && url != null) {
                var m = java.util.regex.Pattern.compile("[?&]" + name + "=([^&]*)").matcher(url);
                value = m.find() ? m.group(1) : null;
            }
            if (value != null) {
                try {
                    double seconds = Double.parseDouble(value);
                    if (seconds > 0) {
                        return seconds;
                    }
                } catch (NumberFormatException ignored) {
                    // the driver will say
                }
            }
        }
        return null;
    }

    @Override
    public boolean acceptsURL(String url) throws SQLException {
        return pgJdbc.acceptsURL(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        return pgJdbc.getPropertyInfo(url, info);
    }

    @Override
    public int getMajorVersion() {
        return pgJdbc.getMajorVersion();
    }

    @Override
    public int getMinorVersion() {
        return pgJdbc.getMinorVersion();
    }

    @Override
    public boolean jdbcCompliant() {
        return pgJdbc.jdbcCompliant();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pgJdbc.getParentLogger();
    }
}
