package io.timeoutpolicy.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The server-side guard behind the client-side timeouts is really set on the service's connections. */
@QuarkusTest
class DatabaseSettingsTests {

    @Inject
    Pool pool;

    @Test
    void every_connection_has_a_statement_timeout() {
        String timeout = pool.query("SHOW statement_timeout").execute()
                .map(rows -> rows.iterator().next().getString(0))
                .await().atMost(Duration.ofSeconds(10));
        assertThat(timeout).isEqualTo("6s");
    }
}
