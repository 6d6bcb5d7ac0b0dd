package dev.kafkacoins.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkacoins.testsupport.ChildJvm;
import dev.kafkacoins.testsupport.RealPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The migrations app against a real PostgreSQL: builds the schema on an empty database, then changes nothing; in
 * await mode it waits for another run to migrate, applying nothing itself.
 */
@Timeout(120)
class MigrationsIT {

    @RegisterExtension
    static final RealPostgres POSTGRES = new RealPostgres();

    private static final Path LOGS = Path.of("target", "migration-logs");

    @Test
    void migratesAnEmptyDatabaseAndASecondRunChangesNothing() throws Exception {
        // When the app runs against the empty database
        try (ChildJvm first = migrate("first", POSTGRES.springArgs())) {
            assertThat(first.awaitExit()).as(first.logTail(30)).isZero();
            assertThat(first.logTail(50)).contains("schema is at version 3 (coin traces)");
        }
        // Then the schema the sink and the dashboard use is there
        assertThat(tables()).contains("coins", "hash_rates", "hasher_totals", "flyway_schema_history");
        List<String> history = history();

        // When it runs again, it succeeds and applies nothing
        try (ChildJvm second = migrate("second", POSTGRES.springArgs())) {
            assertThat(second.awaitExit()).as(second.logTail(30)).isZero();
            assertThat(second.logTail(50)).contains("Schema \"public\" is up to date. No migration necessary.");
        }
        assertThat(history()).isEqualTo(history);
    }

    @Test
    void exitsWithStatusOneWhenTheDatabaseCannotBeReached() {
        try (ChildJvm run = migrate("unreachable", "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none",
                "--spring.datasource.hikari.connection-timeout=2000")) {
            assertThat(run.awaitExit()).isEqualTo(1);
            assertThat(run.logTail(80)).contains("Connection to 127.0.0.1:1 refused");
        }
    }

    @Test
    void awaitModeWaitsForAnotherRunToMigrateAndChangesNothingItself() throws Exception {
        // Given a database nobody has migrated yet (the Job has not run)
        POSTGRES.server().createDatabase("awaited");
        String[] database = onDatabase("awaited");
        try (ChildJvm waiting = migrate("await", concat(database, "--migrations.mode=await",
                "--migrations.await-poll=200ms", "--migrations.await-timeout=90s"))) {
            // When the init container starts, it waits and applies nothing
            await().atMost(Duration.ofSeconds(60)).until(() -> waiting.logTail(40)
                    .contains("waiting for the schema: 3 migration(s) pending: 1 rates totals wallet, 2 least privilege roles, "
                            + "3 coin traces"));
            assertThat(waiting.isAlive()).isTrue();
            assertThat(query("awaited", "SELECT table_name FROM information_schema.tables "
                    + "WHERE table_schema = 'public'")).isEmpty();

            // Then once the Job migrates, it exits 0 on its own
            try (ChildJvm job = migrate("await-job", database)) {
                assertThat(job.awaitExit()).as(job.logTail(30)).isZero();
            }
            assertThat(waiting.awaitExit()).as(waiting.logTail(30)).isZero();
            assertThat(waiting.logTail(40)).contains("schema is current: nothing pending");
        }
    }

    @Test
    void awaitModeGivesUpWithStatusOneNamingWhatIsPending() {
        POSTGRES.server().createDatabase("never_migrated");
        try (ChildJvm waiting = migrate("await-timeout", concat(onDatabase("never_migrated"),
                "--migrations.mode=await", "--migrations.await-poll=200ms", "--migrations.await-timeout=2s"))) {
            assertThat(waiting.awaitExit()).isEqualTo(1);
            assertThat(waiting.logTail(80)).contains("schema not current after PT2S (3 migration(s) pending");
        }
    }

    @Test
    void awaitModeKeepsTryingADatabaseThatIsNotUpYet() {
        try (ChildJvm waiting = migrate("await-unreachable", "--migrations.mode=await",
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none",
                "--spring.datasource.hikari.connection-timeout=500", "--migrations.await-poll=200ms",
                "--migrations.await-timeout=3s")) {
            assertThat(waiting.awaitExit()).isEqualTo(1);
            String log = waiting.logTail(200);
            assertThat(log.lines().filter(l -> l.contains("waiting for the schema: database not reachable")).count())
                    .as(log).isGreaterThanOrEqualTo(2);
            assertThat(log).contains("schema not current after PT3S (database not reachable");
        }
    }

    private static String[] onDatabase(String database) {
        return new String[] {"--spring.datasource.url=" + POSTGRES.server().jdbcUrl(database),
                "--spring.datasource.username=" + POSTGRES.server().username(),
                "--spring.datasource.password=" + POSTGRES.server().password()};
    }

    private static String[] concat(String[] first, String... more) {
        return Stream.concat(Arrays.stream(first), Arrays.stream(more)).toArray(String[]::new);
    }

    private static ChildJvm migrate(String name, String... args) {
        return ChildJvm.start(name, MigrationsApplication.class, List.of(args), LOGS);
    }

    private static List<String> tables() throws SQLException {
        return query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    }

    private static List<String> history() throws SQLException {
        return query("SELECT installed_rank || ' ' || version || ' ' || success FROM flyway_schema_history "
                + "ORDER BY installed_rank");
    }

    private static List<String> query(String sql) throws SQLException {
        return query(RealPostgres.DATABASE, sql);
    }

    private static List<String> query(String database, String sql) throws SQLException {
        try (Connection c = POSTGRES.server().connect(database);
             ResultSet rows = c.createStatement().executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }
}
