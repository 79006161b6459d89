package io.timeoutpolicy.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.timeoutpolicy.PackagedJar;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The packaged service started while PostgreSQL is unreachable: it starts, serves degraded timeouts from
 * its built-in policies and stays ready (its database group is DOWN); when the database appears it migrates,
 * catches up and clears degraded by itself, without a restart.
 */
class StartWithoutDatabaseIT {

    @Test
    void starts_degraded_without_its_database_and_catches_up_when_it_appears() throws Exception {
        try (FaultProxy proxy = new FaultProxy(FaultProxyResource.env("DB_HOST", "127.0.0.1"),
                Integer.parseInt(FaultProxyResource.env("DB_PORT", "5432")))) {
            int databasePort = proxy.start();
            proxy.cut();
            List<String> properties = new ArrayList<>(PackagedJar.database("127.0.0.1", databasePort,
                    FaultProxyResource.env("TEST_DB_NAME", "timeout_policy_test")));
            properties.add("-Dtimeout-policy.database.bootstrap-retry-interval=1s");
            try (PackagedJar service = PackagedJar.start("start-without-database", properties)) {
                HttpResponse<String> timeouts = service.get("/api/v1/environments/staging/timeouts");
                assertThat(timeouts.statusCode()).isEqualTo(200);
                assertThat(timeouts.body()).contains("\"degraded\":true").contains("\"connection_timeout\":90.0");
                // Ready all the same (SPEC 7): the database is shared, its own state is the database group.
                HttpResponse<String> ready = service.get("/q/health/ready");
                assertThat(ready.statusCode()).isEqualTo(200);
                assertThat(ready.body()).contains("database unavailable");
                HttpResponse<String> databaseGroup = service.get("/q/health/group/database");
                assertThat(databaseGroup.statusCode()).isEqualTo(503);
                assertThat(databaseGroup.body()).contains("reason");
                // Anonymous health output names the kind of the outage, never the database's host and port.
                for (HttpResponse<String> health : List.of(ready, databaseGroup, service.get("/q/health"))) {
                    assertThat(health.body()).contains("details are in the service log")
                            .doesNotContain(":" + databasePort).doesNotContain("127.0.0.1");
                }
                assertThat(service.get("/api/v1/environments/staging/metrics").statusCode()).isEqualTo(503);

                proxy.pass();
                service.await("/q/health/group/database", r -> r.statusCode() == 200, Duration.ofSeconds(30));
                service.await("/api/v1/environments/staging/timeouts", r -> r.body().contains("\"degraded\":false"),
                        Duration.ofSeconds(30));
                assertThat(service.get("/q/health/ready").statusCode()).isEqualTo(200);
                assertThat(service.get("/api/v1/environments/staging/metrics").statusCode()).isEqualTo(200);
            }
        }
    }
}
