package dev.kafkacoins.db;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What a run of this app does ({@code migrations.*}).
 *
 * @param mode         {@code migrate} applies pending migrations; {@code await} changes nothing and waits until
 *                     another run (the Kubernetes Job) has applied every migration this build knows, so a service
 *                     never starts on an older schema than the one it was built with
 * @param awaitTimeout how long {@code await} waits before it gives up with status 1
 * @param awaitPoll    how often {@code await} looks again
 */
@ConfigurationProperties("migrations")
public record MigrationsProperties(@DefaultValue("migrate") Mode mode, @DefaultValue("5m") Duration awaitTimeout,
                                   @DefaultValue("2s") Duration awaitPoll) {

    public enum Mode { MIGRATE, AWAIT }

    public MigrationsProperties {
        if (awaitTimeout.isNegative() || awaitPoll.isNegative() || awaitPoll.isZero()) {
            throw new IllegalArgumentException("migrations.await-timeout and migrations.await-poll must be positive, got "
                    + awaitTimeout + " and " + awaitPoll);
        }
    }
}
