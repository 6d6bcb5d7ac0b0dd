package dev.kafkacoins.local;

import dev.kafkacoins.service.ParentWatch;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The stack's PostgreSQL: the real server binaries that zonky ships on Maven Central, run on a data directory
 * that survives restarts. zonky initialises the cluster on first start and reuses it afterwards.
 * <p>
 * Arguments: data directory, port, database to create when missing.
 */
public final class PostgresMain {

    private PostgresMain() {
    }

    public static void main(String[] args) throws Exception {
        ParentWatch.startIfRequested();
        Path data = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        String database = args[2];
        Files.createDirectories(data);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("listen_addresses", Ports.HOST)
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
        createDatabaseIfMissing(postgres, database);
        System.out.println("PostgreSQL ready on " + Ports.HOST + ":" + port + ", data in " + data);
        new CountDownLatch(1).await();
    }

    /** pg_ctl detaches the server from this JVM; postmaster.pid names it. */
    static Optional<ProcessHandle> serverProcess(Path data) throws IOException {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).getFirst().trim()));
    }

    private static void createDatabaseIfMissing(EmbeddedPostgres postgres, String database) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, database);
                try (ResultSet rows = exists.executeQuery()) {
                    if (rows.next()) {
                        return;
                    }
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("CREATE DATABASE " + database);
            }
            System.out.println("created database " + database);
        }
    }
}
