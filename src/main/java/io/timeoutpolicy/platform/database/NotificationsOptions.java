package io.timeoutpolicy.platform.database;

import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.pgclient.impl.PgConnectionUriParser;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the {@code LISTEN} connection connects with: a copy of the pool's options (credentials, TLS, start-up
 * parameters: everything a deployment configured under {@code quarkus.datasource.*}), pointed at
 * {@code timeout-policy.database.notifications-url} when one is given. The URL changes where it connects
 * (host, port, database) and whatever else it states itself (user, password, {@code sslmode}, parameters);
 * all the rest stays the pool's, so a TLS trust store configured once serves both. Pure: options in, options out.
 */
final class NotificationsOptions {

    /** Its meters join the pool's family ({@code postgresql_*}) with a client name of their own. */
    static final String CLIENT_NAME = "notifications";

    private NotificationsOptions() {
    }

    static PgConnectOptions from(PgConnectOptions pool, Optional<String> notificationsUrl) {
        PgConnectOptions options = new PgConnectOptions(pool).setUseLayer7Proxy(false);
        notificationsUrl.map(String::trim).filter(url -> !url.isEmpty()).ifPresent(url -> pointAt(options, url));
        return options.setMetricsName(metricsPrefix(pool.getMetricsName()) + "|" + CLIENT_NAME);
    }

    private static void pointAt(PgConnectOptions options, String url) {
        // The parser answers only what the URL states; PgConnectOptions.fromUri would fill the rest with the
        // client's defaults and so overwrite the pool's credentials and TLS settings.
        JsonObject given = PgConnectionUriParser.parse(url);
        if (given.containsKey("host")) {
            options.setHost(given.getString("host"));
        }
        if (given.containsKey("port")) {
            options.setPort(given.getInteger("port"));
        }
        if (given.containsKey("database")) {
            options.setDatabase(given.getString("database"));
        }
        if (given.containsKey("user")) {
            options.setUser(given.getString("user"));
        }
        if (given.containsKey("password")) {
            options.setPassword(given.getString("password"));
        }
        if (given.containsKey("sslMode")) {
            options.setSslMode(SslMode.of(given.getString("sslMode")));
        }
        JsonObject properties = given.getJsonObject("properties");
        if (properties != null) {
            Map<String, String> merged = new HashMap<>(options.getProperties());
            properties.forEach(entry -> merged.put(entry.getKey(), String.valueOf(entry.getValue())));
            options.setProperties(merged);
        }
    }

    /**
     * Quarkus names the pool's meters {@code <prefix>|<client name>} or just {@code <prefix>}; a connection with
     * no name gets meters without a prefix, which Prometheus shows as a stray {@code m__*} family.
     */
    private static String metricsPrefix(String poolMetricsName) {
        if (poolMetricsName == null || poolMetricsName.isBlank()) {
            return "postgresql";
        }
        int bar = poolMetricsName.indexOf('|');
        return bar < 0 ? poolMetricsName : poolMetricsName.substring(0, bar);
    }
}
