package dev.kafkacoins.db;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits, without changing anything, until the database has every migration this build contains. Services run it
 * as an init container so that they start only once the migration Job has finished; a database that is not up yet
 * counts as "not yet", not as a failure.
 */
final class SchemaAwait {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaAwait.class);

    private SchemaAwait() {
    }

    static void await(Flyway flyway, Duration timeout, Duration poll) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "not checked yet";
        while (true) {
            try {
                MigrationInfo[] pending = flyway.info().pending();
                if (pending.length == 0) {
                    LOG.info("schema is current: nothing pending");
                    return;
                }
                last = pending.length + " migration(s) pending: " + Arrays.stream(pending)
                        .map(m -> m.getVersion() + " " + m.getDescription()).collect(Collectors.joining(", "));
            } catch (RuntimeException e) {
                last = "database not reachable: " + e.getMessage().lines().findFirst().orElse(e.toString());
            }
            if (System.nanoTime() >= deadline) {
                throw new IllegalStateException("schema not current after " + timeout + " (" + last
                        + "); is the db-migrations Job running? kubectl logs job/db-migrations");
            }
            LOG.info("waiting for the schema: {}", last);
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the schema", e);
            }
        }
    }
}
