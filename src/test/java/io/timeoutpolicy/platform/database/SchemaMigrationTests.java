package io.timeoutpolicy.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.timeoutpolicy.TestDatabase;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A restart skips Flyway only when the schema really is current; an empty database is migrated whole. */
@QuarkusTest
class SchemaMigrationTests {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__[a-z0-9_]+\\.sql");

    @Inject
    SchemaMigration schema;

    @Inject
    Vertx vertx;

    @Test
    void the_latest_version_is_the_newest_migration_file_and_every_version_is_a_whole_number() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            List<String> names = files.map(file -> file.getFileName().toString()).toList();
            // V5_1__ or V5.1__ would make every start run Flyway: the version check compares whole numbers.
            assertThat(names).allMatch(name -> VERSIONED.matcher(name).matches());
            int newest = names.stream().map(VERSIONED::matcher).filter(Matcher::matches)
                    .mapToInt(file -> Integer.parseInt(file.group(1)))
                    .max().orElseThrow();
            assertThat(SchemaMigration.LATEST_VERSION).isEqualTo(newest);
        }
    }

    @Test
    void the_service_database_is_current_after_start() {
        assertThat(schema.isCurrent().await().atMost(WAIT)).isTrue();
    }

    @Test
    void an_empty_database_is_behind_until_migrated_and_a_second_migration_changes_nothing() {
        String name = "timeout_policy_schema_test";
        TestDatabase.recreate(name);
        Pool pool = Pool.newInstance(PgBuilder.pool()
                .connectingTo(PgConnectOptions.fromUri("postgresql://" + TestDatabase.jdbcUrl(name)
                        .substring("jdbc:postgresql://".length())).setUser(TestDatabase.user())
                        .setPassword(TestDatabase.password()))
                .using(vertx.getDelegate()).build());
        try {
            SchemaMigration empty = new SchemaMigration(pool, TestDatabase.jdbcUrl(name), TestDatabase.user(),
                    TestDatabase.password());
            assertThat(empty.isCurrent().await().atMost(WAIT)).isFalse();

            empty.migrate();
            assertThat(empty.isCurrent().await().atMost(WAIT)).isTrue();
            empty.migrate();
            long applied = pool.query("SELECT count(*) FROM flyway_schema_history WHERE success").execute()
                    .map(rows -> rows.iterator().next().getLong(0)).await().atMost(WAIT);
            assertThat(applied).isEqualTo(SchemaMigration.LATEST_VERSION);
        } finally {
            pool.closeAndAwait();
        }
    }
}
