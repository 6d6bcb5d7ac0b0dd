package dev.kafkacoins.local;

import dev.kafkacoins.protocol.ConsumerGroups;
import dev.kafkacoins.protocol.Topic;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.service.GroupLag;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;

/**
 * Waits until the pipeline has worked off everything rng published: the hashers have consumed every block, and
 * nothing downstream has moved for 5 s. Not "downstream lag zero": on a transactional topic each commit leaves a
 * marker that takes an offset, and a consumer's committed position can stay just before the last one, so
 * {@code kafka-consumer-groups} may show a lag of 1 for good.
 */
final class Drain {

    private Drain() {
    }

    static void await(Admin admin, Duration timeout) throws Exception {
        await(admin, timeout, () -> true);
    }

    /**
     * As above, and {@code settled} must hold as well: a sink backing off from a database error holds its lag
     * still, which looks like "drained" from the lag alone.
     */
    static void await(Admin admin, Duration timeout, BooleanSupplier settled) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        long previous = -1;
        int still = 0;
        while (still < 5) {
            if (Instant.now().isAfter(deadline)) {
                throw new MinerException("the pipeline did not drain within " + timeout.toSeconds() + " s");
            }
            long blocks = lag(admin, ConsumerGroups.HASHER, Topics.BLOCKS);
            long downstream = lag(admin, ConsumerGroups.AGGREGATOR, Topics.HASHES)
                    + lag(admin, ConsumerGroups.SINK, Topics.RATES)
                    + lag(admin, ConsumerGroups.SINK, Topics.TOTALS)
                    + lag(admin, ConsumerGroups.SINK, Topics.COINS);
            still = blocks == 0 && downstream == previous && settled.getAsBoolean() ? still + 1 : 0;
            previous = downstream;
            Thread.sleep(1000);
        }
    }

    private static long lag(Admin admin, String group, Topic<?, ?> topic) throws Exception {
        return GroupLag.read(admin, group, topic.name(), Duration.ofSeconds(10)).stream()
                .mapToLong(GroupLag.Partition::lag).sum();
    }
}
