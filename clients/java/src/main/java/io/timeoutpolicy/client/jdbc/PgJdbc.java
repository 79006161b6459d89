package io.timeoutpolicy.client.jdbc;

import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * pgJDBC's own knobs, touched only when pgJDBC is there (it is an optional dependency): {@code connectTimeout}
 * (TCP connect, integer seconds, 0 none, default 10) and {@code loginTimeout} (the whole connect and login,
 * integer seconds, default 0: none, or DriverManager's, which HikariCP sets from its connectionTimeout).
 */
final class PgJdbc {

    static final int DRIVER_DEFAULT_CONNECT_TIMEOUT = 10;

    private PgJdbc() {
    }

    /** The URL's own value of {@code parameter}, or null ({@code jdbc:postgresql://h/db?connectTimeout=5}). */
    static String urlParameter(String url, String parameter) {
        if (url == null) {
            return null;
        }
        Matcher m = Pattern.compile("[?&]" + Pattern.quote(parameter) + "=([^&]*)").matcher(url);
        return m.find() ? m.group(1) : null;
    }

    static boolean isPostgresUrl(String url) {
        return url != null && url.startsWith("jdbc:postgresql:");
    }

    /** The explicit value in {@code properties} or the URL, else null. */
    static String explicit(String url, Properties properties, String parameter) {
        String own = properties == null ? null : properties.getProperty(parameter);
        return own != null ? own : urlParameter(url, parameter);
    }

    /** A pgJDBC DataSource (PGSimpleDataSource & co.), else null; without pgJDBC on the class path, null. */
    static Object pgDataSource(DataSource candidate) {
        try {
            return candidate instanceof org.postgresql.ds.common.BaseDataSource pg ? pg : null;
        } catch (LinkageError noPgJdbc) {
            return null;
        }
    }

    /** Applies both timeouts unless the application set them (not pgJDBC's defaults); answers what it kept. */
    static Kept apply(Object pgDataSource, int connectTimeout, int loginTimeout) {
        var pg = (org.postgresql.ds.common.BaseDataSource) pgDataSource;
        boolean keepConnect = pg.getConnectTimeout() != DRIVER_DEFAULT_CONNECT_TIMEOUT;
        boolean keepLogin = pg.getLoginTimeout() != 0;
        if (!keepConnect) {
            pg.setConnectTimeout(connectTimeout);
        }
        if (!keepLogin) {
            pg.setLoginTimeout(loginTimeout);
        }
        return new Kept(keepConnect ? pg.getConnectTimeout() : null, keepLogin ? pg.getLoginTimeout() : null);
    }

    /** The application's own values kept (seconds), null where the served one was applied. */
    record Kept(Integer connectTimeout, Integer loginTimeout) {
    }
}
