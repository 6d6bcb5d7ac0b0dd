package dev.kafkacoins.local.stack;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The database's login roles, least privilege: the migrations' role owns the database and so the schema, the sink's
 * and the dashboard's roles may only connect (the migrations grant them their rows: V2__least_privilege_roles.sql),
 * and none is a superuser. Run as the superuser after PostgreSQL starts, at every start, so a changed password or an
 * older data directory (its tables owned by the superuser) is put right. The Kubernetes StatefulSet's init script
 * (k8s/base/postgres.yaml) creates the same roles from its Secrets.
 */
final class DatabaseRoles {

    static final String MIGRATIONS = "kafkacoins_migrations";
    static final String SINK = "kafkacoins_sink";
    static final String WEBUI = "kafkacoins_webui";
    static final List<String> ALL = List.of(MIGRATIONS, SINK, WEBUI);

    /** Role names and passwords go into DDL, which takes no parameters: only these characters ever get there. */
    private static final Pattern SAFE = Pattern.compile("[a-z0-9_]+");

    private DatabaseRoles() {
    }

    /**
     * @param admin      a superuser's connection to any database of the server
     * @param onDatabase opens a superuser's connection to the named database
     * @param password   a role's password
     */
    static void bootstrap(Connection admin, Function<String, Connection> onDatabase, String database,
                          Function<String, String> password) throws SQLException {
        require("the database's name", database);
        try (Statement sql = admin.createStatement()) {
            for (String role : ALL) {
                String secret = require(role + "'s password", password.apply(role));
                String attributes = " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS "
                        + "PASSWORD '" + secret + "'";
                sql.execute((exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", role) ? "ALTER ROLE "
                        : "CREATE ROLE ") + role + attributes);
            }
            if (exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
                sql.execute("ALTER DATABASE " + database + " OWNER TO " + MIGRATIONS);
            } else {
                sql.execute("CREATE DATABASE " + database + " OWNER " + MIGRATIONS);
            }
            // Only the stack's roles connect; nobody else makes temporary tables there.
            sql.execute("REVOKE ALL ON DATABASE " + database + " FROM PUBLIC");
            sql.execute("GRANT CONNECT ON DATABASE " + database + " TO " + SINK + ", " + WEBUI);
        }
        try (Connection db = onDatabase.apply(database); Statement sql = db.createStatement()) {
            sql.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
            // A stack from before these roles migrated as the superuser: hand its objects to the migrations' role.
            List<String> handOver = new ArrayList<>();
            try (ResultSet owned = sql.executeQuery("SELECT c.relname, c.relkind FROM pg_class c "
                    + "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_roles r ON r.oid = c.relowner "
                    + "WHERE n.nspname = 'public' AND r.rolsuper AND c.relkind IN ('r', 'p', 'S', 'v')")) {
                while (owned.next()) {
                    String kind = switch (owned.getString(2)) {
                        case "S" -> "SEQUENCE";
                        case "v" -> "VIEW";
                        default -> "TABLE";
                    };
                    handOver.add("ALTER " + kind + " public.\"" + owned.getString(1).replace("\"", "\"\"")
                            + "\" OWNER TO " + MIGRATIONS);
                }
            }
            for (String statement : handOver) {
                sql.execute(statement);
            }
        }
    }

    private static boolean exists(Connection c, String query, String name) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(query)) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** The rejected value is never shown: it may be a password. */
    private static String require(String what, String value) {
        if (value == null || !SAFE.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be set and contain only a-z, 0-9 and _");
        }
        return value;
    }
}
