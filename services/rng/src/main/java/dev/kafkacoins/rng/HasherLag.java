package dev.kafkacoins.rng;

import dev.kafkacoins.kit.GroupLag;
import dev.kafkacoins.protocol.ConsumerGroups;
import dev.kafkacoins.protocol.Topics;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;

/** The hasher group's total lag on {@code miner.blocks}: what auto mode keeps under its bound. */
final class HasherLag implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Admin admin;

    HasherLag(Admin admin) {
        this.admin = admin;
    }

    long total() {
        try {
            return GroupLag.read(admin, ConsumerGroups.HASHER, Topics.BLOCKS.name(), TIMEOUT).stream()
                    .mapToLong(GroupLag.Partition::lag).sum();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the lag of group '" + ConsumerGroups.HASHER + "': " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading lag", e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
