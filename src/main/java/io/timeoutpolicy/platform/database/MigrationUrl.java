package io.timeoutpolicy.platform.database;

import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;

/**
 * The JDBC URL Flyway connects with, made from the service's one reactive URL: the same host, port,
 * database and TLS mode, so that a deployment configures its database once. The URL is parsed the way
 * the reactive client parses it, not pasted, so that {@code postgres://} and query parameters work.
 */
final class MigrationUrl {

    private MigrationUrl() {
    }

    /** {@code reactiveUrl} may list several hosts, comma-separated; migrations use the first. */
    static String from(String reactiveUrl) {
        String first = reactiveUrl.split(",")[0].trim();
        PgConnectOptions options = PgConnectOptions.fromUri(first);
        String host = options.getHost().contains(":") ? "[" + options.getHost() + "]" : options.getHost();
        StringBuilder url = new StringBuilder("jdbc:postgresql://")
                .append(host).append(':').append(options.getPort())
                .append('/').append(options.getDatabase())
                // Fail fast while the database is unreachable; bootstrap retries (docs/operations.md, "Resiliency").
                .append("?connectTimeout=3&socketTimeout=60");
        if (options.getSslMode() != null && options.getSslMode() != SslMode.DISABLE) {
            url.append("&sslmode=").append(options.getSslMode().value);
        }
        return url.toString();
    }
}
