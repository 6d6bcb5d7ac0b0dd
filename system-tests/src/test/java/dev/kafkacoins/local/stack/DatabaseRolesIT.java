package dev.kafkacoins.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkacoins.db.MigrationsApplication;
import dev.kafkacoins.testsupport.RealPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The stack's database roles on a real PostgreSQL, set up as ./miner sets them up and migrated by the migrations'
 * own role: the dashboard only reads, the sink writes rows but cannot change the schema, and none of them is a
 * superuser (a superuser can {@code COPY … TO PROGRAM}, that is, run commands as the server's owner).
 */
@Timeout(180)
class DatabaseRolesIT {

    @RegisterExtension
    static final RealPostgres POSTGRES = new RealPostgres();

    /** PostgreSQL's "insufficient privilege" and "must be owner" class. */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private static final Map<String, String> PASSWORDS = Map.of(DatabaseRoles.MIGRATIONS, "0a1b2c3d4e5f60718293a4b5",
            DatabaseRoles.SINK, "1b2c3d4e5f60718293a4b5c6", DatabaseRoles.WEBUI, "2c3d4e5f60718293a4b5c6d7");

    @BeforeAll
    static void rolesThenTheMigrationsAsTheirOwnRole() throws Exception {
        // Given a stack from before the roles: its first migration ran as the superuser
        try (ConfigurableApplicationContext before = MigrationsApplication.application().run(Stream.concat(
                Stream.of(POSTGRES.springArgs()), Stream.of("--spring.flyway.target=1")).toArray(String[]::new))) {
            assertThat(before.isActive()).isTrue();
        }
        // When ./miner sets up the roles and the migrations' role migrates the rest
        bootstrap();
        bootstrap(); // every start does it again: nothing breaks
        try (ConfigurableApplicationContext migrations = MigrationsApplication.application().run(
                "--spring.datasource.url=" + POSTGRES.jdbcUrl(),
                "--spring.datasource.username=" + DatabaseRoles.MIGRATIONS,
                "--spring.datasource.password=" + PASSWORDS.get(DatabaseRoles.MIGRATIONS))) {
            assertThat(migrations.isActive()).isTrue();
        }
    }

    @Test
    void theDashboardsRoleReadsButCannotWrite() throws Exception {
        try (Connection webui = as(DatabaseRoles.WEBUI); Statement sql = webui.createStatement()) {
            assertThat(count(sql, "SELECT COUNT(*) FROM coins")).isZero();
            assertRefused(sql, "INSERT INTO hasher_totals (hasher, hashes, coins, blocks, last_hashed_at, "
                    + "last_created_at) VALUES ('h1', 1, 0, 1, now(), now())");
            assertRefused(sql, "DELETE FROM hash_rates");
            assertRefused(sql, "CREATE TABLE mine (id int)");
        }
    }

    @Test
    void theSinksRoleWritesRowsButCannotDropOrAlterTheSchema() throws Exception {
        try (Connection sink = as(DatabaseRoles.SINK); Statement sql = sink.createStatement()) {
            sql.execute("INSERT INTO hasher_totals (hasher, hashes, coins, blocks, last_hashed_at, last_created_at) "
                    + "VALUES ('h-sink', 65536, 0, 1, now(), now()) ON CONFLICT (hasher) DO UPDATE SET hashes = 1");
            sql.execute("UPDATE hasher_totals SET hashes = 131072 WHERE hasher = 'h-sink'");
            sql.execute("DELETE FROM hash_rates WHERE window_start < now() - interval '1 day'");
            assertThat(count(sql, "SELECT hashes FROM hasher_totals WHERE hasher = 'h-sink'")).isEqualTo(131072);

            assertRefused(sql, "DROP TABLE coins");
            assertRefused(sql, "ALTER TABLE coins ADD COLUMN stolen text");
            assertRefused(sql, "TRUNCATE coins");
            assertRefused(sql, "CREATE TABLE mine (id int)");
            assertRefused(sql, "COPY coins TO PROGRAM 'id'");
        }
    }

    @Test
    void onlyTheMigrationsRoleTouchesTheMigrationHistory() throws Exception {
        try (Connection sink = as(DatabaseRoles.SINK); Statement sql = sink.createStatement()) {
            assertRefused(sql, "UPDATE flyway_schema_history SET checksum = 0");
            assertRefused(sql, "DELETE FROM flyway_schema_history");
        }
        try (Connection webui = as(DatabaseRoles.WEBUI); Statement sql = webui.createStatement()) {
            assertRefused(sql, "SELECT COUNT(*) FROM flyway_schema_history");
        }
    }

    @Test
    void noRoleIsASuperuserAndTheMigrationsRoleOwnsTheSchema() throws Exception {
        try (Connection admin = POSTGRES.server().connect(RealPostgres.DATABASE); Statement sql = admin.createStatement()) {
            List<String> roles = rows(sql, "SELECT rolname || ' ' || rolsuper || rolcreaterole || rolcreatedb "
                    + "|| rolbypassrls || ' ' || rolcanlogin FROM pg_roles WHERE rolname LIKE 'kafkacoins%' ORDER BY 1");
            assertThat(roles).containsExactly("kafkacoins_migrations falsefalsefalsefalse true",
                    "kafkacoins_sink falsefalsefalsefalse true", "kafkacoins_webui falsefalsefalsefalse true");
            assertThat(rows(sql, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"))
                    .as("every table, those the superuser made before too").containsExactly(DatabaseRoles.MIGRATIONS);
            assertThat(rows(sql, "SELECT version || ' ' || installed_by FROM flyway_schema_history ORDER BY 1"))
                    .containsExactly("1 " + POSTGRES.server().username(), "2 " + DatabaseRoles.MIGRATIONS,
                            "3 " + DatabaseRoles.MIGRATIONS);
        }
    }

    @Test
    void aRejectedPasswordIsNamedByItsRoleAndNeverShown() throws Exception {
        String rejected = "hunter2' SUPERUSER --";
        try (Connection admin = POSTGRES.server().connect("postgres")) {
            assertThatThrownBy(() -> DatabaseRoles.bootstrap(admin, database -> null, RealPostgres.DATABASE,
                    role -> role.equals(DatabaseRoles.SINK) ? rejected : PASSWORDS.get(role)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("kafkacoins_sink's password must be set and contain only a-z, 0-9 and _")
                    .message().doesNotContain("hunter2");
        }
    }

    private static void bootstrap() throws Exception {
        try (Connection admin = POSTGRES.server().connect("postgres")) {
            DatabaseRoles.bootstrap(admin, database -> {
                try {
                    return POSTGRES.server().connect(database);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, RealPostgres.DATABASE, PASSWORDS::get);
        }
    }

    private static Connection as(String role) throws SQLException {
        return DriverManager.getConnection(POSTGRES.jdbcUrl(), role, PASSWORDS.get(role));
    }

    private static void assertRefused(Statement sql, String statement) {
        assertThatThrownBy(() -> sql.execute(statement)).as(statement).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(INSUFFICIENT_PRIVILEGE));
    }

    private static long count(Statement sql, String query) throws SQLException {
        try (ResultSet rows = sql.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static List<String> rows(Statement sql, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rows = sql.executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
