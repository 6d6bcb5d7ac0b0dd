package dev.kafkacoins.local.stack;

import dev.kafkacoins.kit.ParentWatch;
import dev.kafkacoins.local.Ports;
import dev.kafkacoins.local.Secrets;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The stack's PostgreSQL: the real server binaries that zonky ships on Maven Central, run on a data directory
 * that survives restarts. zonky initialises the cluster on first start and reuses it afterwards.
 * <p>
 * zonky's cluster trusts every local connection as the superuser; on a shared machine that lets any user in (and
 * {@code COPY … TO PROGRAM} runs commands as the stack's owner). So before the server first starts, the superuser
 * gets a generated password (in single-user mode, which needs no connection), and at every start pg_hba.conf
 * allows nothing but password (SCRAM) authentication. Then {@link DatabaseRoles} sets up the services' roles.
 * <p>
 * Arguments: data directory, port, database, the stack's passwords file, where zonky unpacks the binaries.
 */
public final class PostgresMain {

    static final String SUPERUSER = "postgres";
    /** Written once the superuser has its password: a cluster initialised by zonky has none. */
    private static final String PASSWORD_SET = "kafkacoins-superuser-password-set";
    static final String PG_HBA = """
            # Written by ./miner at every start: password (SCRAM) authentication only, on 127.0.0.1 and the socket.
            local  all  all                scram-sha-256
            host   all  all  127.0.0.1/32  scram-sha-256
            host   all  all  ::1/128       scram-sha-256
            """;

    private PostgresMain() {
    }

    /** The secret's name of a PostgreSQL role in the stack's passwords file. */
    static String secretName(String role) {
        return "postgres." + role;
    }

    public static void main(String[] args) throws Exception {
        ParentWatch.startIfRequested();
        Path data = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        String database = args[2];
        Secrets secrets = Secrets.read(Path.of(args[3]));
        Path binaries = Path.of(args[4]);
        Files.createDirectories(data);
        Files.createDirectories(binaries);
        String superuserPassword = secrets.password(secretName(SUPERUSER));
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(binaries.toFile())
                .setPort(port)
                .setServerConfig("listen_addresses", Ports.HOST)
                .setServerConfig("password_encryption", "scram-sha-256")
                .setConnectConfig("password", superuserPassword)
                .setDataDirectoryCustomizer(dir -> secure(dir.toPath(), binaries, superuserPassword))
                .start();
        Optional<ProcessHandle> server = serverProcess(data);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
                // pg_ctl can return before the server process is gone; this JVM's exit must mean it is.
                server.ifPresent(p -> p.onExit().completeOnTimeout(p, 20, TimeUnit.SECONDS).join());
                System.out.println("PostgreSQL stopped");
            } catch (Exception e) {
                System.err.println("PostgreSQL did not stop cleanly: " + e);
            }
        }, "postgres-stop"));
        try (Connection admin = postgres.getPostgresDatabase().getConnection()) {
            DatabaseRoles.bootstrap(admin, name -> connect(postgres, name), database,
                    role -> secrets.password(secretName(role)));
        }
        System.out.println("PostgreSQL ready on " + Ports.HOST + ":" + port + ", data in " + data
                + "; password authentication only, roles " + DatabaseRoles.ALL);
        new CountDownLatch(1).await();
    }

    /** Runs after zonky's initdb and before the server starts, at every start. */
    private static void secure(Path data, Path binaries, String superuserPassword) {
        try {
            if (!Files.exists(data.resolve(PASSWORD_SET))) {
                singleUser(data, binaries, "ALTER ROLE " + SUPERUSER + " PASSWORD '" + superuserPassword + "';\n");
                Files.writeString(data.resolve(PASSWORD_SET), "");
            }
            Files.writeString(data.resolve("pg_hba.conf"), PG_HBA);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One statement in PostgreSQL's single-user mode: no server, no connection, no authentication. */
    private static void singleUser(Path data, Path binaries, String statement) throws IOException {
        Path postgresBinary = postgresBinary(binaries);
        List<String> command = new ArrayList<>();
        // As zonky does: PostgreSQL refuses to run as root, and in a user namespace it is not root.
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(postgresBinary.toString(), "--single", "-D", data.toString(), "-F", SUPERUSER));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(statement.getBytes(StandardCharsets.UTF_8));
        }
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("postgres --single did not set the superuser's password");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** zonky unpacks its binaries into a folder of the working directory named after their digest. */
    private static Path postgresBinary(Path binaries) throws IOException {
        try (Stream<Path> dirs = Files.list(binaries)) {
            return dirs.map(d -> d.resolve("bin").resolve("postgres")).filter(Files::isExecutable).findFirst()
                    .orElseThrow(() -> new IOException("no PostgreSQL binaries under " + binaries));
        }
    }

    private static Connection connect(EmbeddedPostgres postgres, String database) {
        try {
            return postgres.getDatabase(SUPERUSER, database).getConnection();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** pg_ctl detaches the server from this JVM; postmaster.pid names it. */
    public static Optional<ProcessHandle> serverProcess(Path data) throws IOException {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).getFirst().trim()));
    }

}
