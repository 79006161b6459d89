package io.timeoutpolicy.deployment;

import java.util.List;

/**
 * Behind PgBouncer in transaction mode, as Cloud SQL fleets often require: {@code timeout-policy.database.pooler
 * =transaction}, and {@code LISTEN} on the direct connection {@code timeout-policy.database.notifications-url}.
 */
class PgBouncerTransactionIT extends PgBouncerSuite {

    @Override
    String poolMode() {
        return "transaction";
    }

    @Override
    List<String> poolerSettings(String database) {
        return List.of("-Dtimeout-policy.database.pooler=transaction",
                "-Dtimeout-policy.database.notifications-url=" + directUrl(database));
    }
}
