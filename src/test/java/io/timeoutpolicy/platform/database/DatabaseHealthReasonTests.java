package io.timeoutpolicy.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Anonymous health output names the kind of an outage, never the database's internal host and port. */
class DatabaseHealthReasonTests {

    @Test
    void the_reason_keeps_the_kind_and_drops_the_address() {
        assertThat(DatabaseHealthCheck.publicReason("ConnectException: Connection refused: db.internal/10.1.2.3:5432"))
                .isEqualTo("ConnectException; details are in the service log");
        assertThat(DatabaseHealthCheck.publicReason(
                "schema not migrated yet: PgException: FATAL: password authentication failed for user \"svc\""))
                .isEqualTo("schema not migrated yet: PgException; details are in the service log");
        assertThat(DatabaseHealthCheck.publicReason("schema not migrated yet: not connected yet"))
                .isEqualTo("schema not migrated yet: not connected yet; details are in the service log");
        assertThat(DatabaseHealthCheck.publicReason("10.1.2.3:5432 unreachable"))
                .isEqualTo("unavailable; details are in the service log");
    }
}
