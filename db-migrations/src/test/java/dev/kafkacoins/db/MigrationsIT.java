package dev.kafkacoins.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkacoins.testsupport.ChildJvm;
import dev.kafkacoins.testsupport.RealPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The migrations app against a real PostgreSQL: builds the schema on an empty database, then changes nothing. */
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
            assertThat(first.logTail(50)).contains("schema is at version 1 (rates totals wallet)");
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
        try (Connection c = POSTGRES.server().connect(RealPostgres.DATABASE);
             ResultSet rows = c.createStatement().executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }
}
