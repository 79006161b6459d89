package io.timeoutpolicy.quarkus;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Duration;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * A Quarkus application whose only addition is this library: both datasources take the served values and report
 * their connects to the packaged service (issue 26, point 2).
 */
@QuarkusTest
@QuarkusTestResource(ServiceJarResource.class)
class QuarkusIntegrationTest {

    @Inject
    AgroalDataSource jdbc;

    @Inject
    Pool reactive;

    @Test
    void both_datasources_take_the_served_values_and_report_their_connects() throws Exception {
        var config = ConfigProvider.getConfig();
        assertThat(config.getValue("quarkus.datasource.jdbc.acquisition-timeout", Duration.class))
                .isEqualTo(Duration.ofSeconds(4));
        assertThat(config.getValue("quarkus.datasource.jdbc.additional-jdbc-properties.connectTimeout", String.class))
                .isEqualTo("3");
        assertThat(config.getValue("quarkus.datasource.jdbc.additional-jdbc-properties.loginTimeout", String.class))
                .isEqualTo("3");
        assertThat(config.getValue("quarkus.datasource.jdbc.validation-query-timeout", Duration.class))
                .as("1.5 s rounded up: Quarkus gives Agroal whole seconds").isEqualTo(Duration.ofSeconds(2));
        assertThat(config.getValue("quarkus.datasource.reactive.max-size", Integer.class)).isEqualTo(5);
        assertThat(config.getValue("quarkus.datasource.jdbc.max-lifetime", Duration.class))
                .as("the application's own setting wins").isEqualTo(Duration.ofMinutes(5));
        var pool = jdbc.getConfiguration().connectionPoolConfiguration();
        assertThat(pool.acquisitionTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(pool.maxSize()).isEqualTo(5);
        assertThat(pool.maxLifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(pool.connectionFactoryConfiguration().jdbcProperties()).containsEntry("connectTimeout", "3")
                .containsEntry("loginTimeout", "3");

        try (Connection c = jdbc.getConnection()) {
            assertThat(c.createStatement().executeQuery("SELECT 1").next()).isTrue();
        }
        Thread.sleep(50); // idle longer than foreground-validation-interval: Agroal validates before lending it
        try (Connection c = jdbc.getConnection()) {
            assertThat(c.createStatement().executeQuery("SELECT 2").next()).isTrue();
        }
        assertThat(reactive.query("SELECT 1").execute().await().atMost(Duration.ofSeconds(10)).size()).isEqualTo(1);

        QuarkusIntegration quarkus = QuarkusIntegration.current();
        assertThat(quarkus).isNotNull();
        assertThat(quarkus.integration().client().flush(Duration.ofSeconds(10))).isTrue();
        var history = ServiceJarResource.history();
        System.out.println("history: " + history);
        assertThat(history).contains("connection|true|-|3|quarkus-app|1", "connection|true|-|2.2|quarkus-app|1",
                "health_check|true|-|2|quarkus-app|1");
        assertThat(history.stream().filter(r -> r.startsWith("initialization|true|-|25|quarkus-app|1")))
                .as("once per pool: JDBC and reactive").hasSize(2);
    }
}
