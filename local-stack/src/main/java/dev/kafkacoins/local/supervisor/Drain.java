package dev.kafkacoins.local.supervisor;

import dev.kafkacoins.kit.GroupLag;
import dev.kafkacoins.local.MinerException;
import dev.kafkacoins.protocol.ConsumerGroups;
import dev.kafkacoins.protocol.Topic;
import dev.kafkacoins.protocol.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;

/**
 * Waits until the pipeline has worked off everything rng published: the hashers have consumed every block, every
 * downstream partition is at most {@link #MARKERS} behind, and nothing downstream has moved for 5 s. Not "lag
 * zero": on a transactional topic each commit leaves a marker that takes an offset, and a consumer's committed
 * position can stay just before the last one, so {@code kafka-consumer-groups} may show a lag of 1 for good. Not
 * "still" alone either: an aggregator restoring its stores after a restart holds its lag still too, for seconds.
 */
final class Drain {

    /** A commit marker, and an abort marker before it, that a consumer's position may stay in front of. */
    static final long MARKERS = 2;

    private Drain() {
    }

    /**
     * {@code settled} must hold as well: a sink backing off from a database error holds its lag still, which looks
     * like "drained" from the lag alone.
     */
    static void await(Admin admin, Duration timeout, BooleanSupplier settled) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        long previous = -1;
        int still = 0;
        while (still < 5) {
            if (Instant.now().isAfter(deadline)) {
                throw new MinerException("the pipeline did not drain within " + timeout.toSeconds() + " s");
            }
            long blocks = lag(admin, ConsumerGroups.HASHER, Topics.BLOCKS).stream()
                    .mapToLong(GroupLag.Partition::lag).sum();
            List<GroupLag.Partition> behind = new ArrayList<>();
            behind.addAll(lag(admin, ConsumerGroups.AGGREGATOR, Topics.HASHES));
            behind.addAll(lag(admin, ConsumerGroups.SINK, Topics.RATES));
            behind.addAll(lag(admin, ConsumerGroups.SINK, Topics.TOTALS));
            behind.addAll(lag(admin, ConsumerGroups.SINK, Topics.COINS));
            long downstream = behind.stream().mapToLong(GroupLag.Partition::lag).sum();
            boolean caughtUp = behind.stream().allMatch(p -> p.lag() <= MARKERS);
            still = blocks == 0 && caughtUp && downstream == previous && settled.getAsBoolean() ? still + 1 : 0;
            previous = downstream;
            Thread.sleep(1000);
        }
    }

    private static List<GroupLag.Partition> lag(Admin admin, String group, Topic<?, ?> topic) throws Exception {
        return GroupLag.read(admin, group, topic.name(), Duration.ofSeconds(10));
    }
}
