package io.timeoutpolicy.deployment;

import java.util.List;

/**
 * Behind PgBouncer in session mode: {@code timeout-policy.database.pooler=session} and no notifications URL, so
 * {@code LISTEN} goes through PgBouncer too (a session keeps its server connection). Each client connection holds
 * a server connection here, so the two replicas' pools (8 each, plus one LISTEN connection) fit in PgBouncer's
 * {@code default_pool_size} of 20: a client beyond it would wait for one (docs/pgbouncer.md).
 */
class PgBouncerSessionIT extends PgBouncerSuite {

    @Override
    String poolMode() {
        return "session";
    }

    @Override
    List<String> poolerSettings(String database) {
        return List.of("-Dtimeout-policy.database.pooler=session", "-Dquarkus.datasource.reactive.max-size=8");
    }
}
