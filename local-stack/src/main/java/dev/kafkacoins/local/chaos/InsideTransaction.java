package dev.kafkacoins.local.chaos;

import dev.kafkacoins.local.MinerException;
import dev.kafkacoins.protocol.Block;
import dev.kafkacoins.protocol.ConsumerGroups;
import dev.kafkacoins.protocol.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Puts a hasher inside an open transaction before a fault hits it.
 * <p>
 * At the chaos run's pace a hasher spends nearly all its time in {@code poll()}, between transactions: a SIGSTOP
 * or SIGKILL sent at a random moment finds nothing open, so the zombie has nothing to commit and the replaced
 * hasher leaves no transaction for the coordinator to abort, and neither fault tests any fencing. So this writes
 * a series of full-size blocks ({@link Block#MAX_NONCES}, about half a second of hashing each) onto a partition
 * the hasher owns, as one record batch (the broker appends a batch whole, so nothing of rng's comes between
 * them), and waits until the hasher has
 * committed a transaction inside the series: from then on, for the rest of the series, the hasher's open
 * transaction holds a block it is hashing.
 */
final class InsideTransaction {

    /** What of the open transaction has reached the broker when the fault hits. */
    enum Shape {
        /**
         * Full-size blocks only: every transaction in the series starts with one, so until it is hashed nothing of
         * the transaction is on the broker. The coordinator knows of no transaction and its timeout cannot fence
         * a zombie; only the group's generation, sent with the offsets, can.
         */
        NOTHING_SENT,
        /**
         * A one-nonce block before each full-size one: every transaction in the series starts with the small one,
         * whose report is on the broker within milliseconds while the big one is hashed. A hasher killed then
         * leaves an open transaction that holds back its output partition until the coordinator aborts it.
         */
        REPORT_SENT
    }

    /** Where the hasher was caught: the partition, and the offset its open transaction starts from. */
    record Caught(TopicPartition partition, long from, Shape shape) {
        String describe() {
            return "inside a transaction from " + partition + "@" + from
                    + (shape == Shape.NOTHING_SENT ? ", none of it on the broker yet" : ", a report of it sent");
        }
    }

    private static final int BLOCKS = 6;
    private static final int ATTEMPTS = 3;
    private static final Duration ATTEMPT_BOUND = Duration.ofSeconds(20);
    /** The hasher lingers 5 ms before it sends; a loaded machine may take much longer to run it at all. */
    private static final Duration REPORT_BOUND = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(25);
    private static final HexFormat HEX = HexFormat.of();

    private final Admin admin;
    private final Map<String, Object> client;
    private final Random random;

    /** @param client the broker's address and credentials, for a producer of the series' own */
    InsideTransaction(Admin admin, Map<String, Object> client, Random random) {
        this.admin = admin;
        this.client = client;
        this.random = random;
    }

    /**
     * Returns once the hasher whose client ids start with {@code clientPrefix} is inside a transaction of the
     * given shape; the caller signals it at once. Tries again on another series when the partition moved to another
     * member meanwhile; fails when no attempt caught it.
     */
    Caught enter(String clientPrefix, Shape shape) {
        String why = "";
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Optional<Owner> owner = awaitOwner(clientPrefix);
            if (owner.isEmpty()) {
                why = clientPrefix + " owned no partition of " + Topics.BLOCKS.name() + " within "
                        + ATTEMPT_BOUND.toSeconds() + " s";
                continue;
            }
            TopicPartition partition = owner.get().partition();
            String transactionalId = ConsumerGroups.HASHER_TRANSACTIONAL_ID_PREFIX + owner.get().hasherId();
            List<Long> offsets = write(partition, shape);
            if (!contiguous(offsets)) {
                why = "other records came between the series on " + partition;
                continue;
            }
            Optional<Long> from = awaitCommitInside(partition, offsets, shape, transactionalId);
            if (from.isEmpty()) {
                why = "no transaction of " + clientPrefix + " committed inside the series on " + partition + " within "
                        + ATTEMPT_BOUND.toSeconds() + " s";
                continue;
            }
            // A loaded machine may not run the hasher for a while after its commit: the report is on the broker
            // when the coordinator lists the transaction as ongoing with a partition of miner.hashes.
            if (shape == Shape.REPORT_SENT && !awaitReportOnBroker(transactionalId)) {
                why = "no report of " + transactionalId + "'s transaction reached the broker within "
                        + REPORT_BOUND.toSeconds() + " s";
                continue;
            }
            if (owns(clientPrefix, partition)) {
                return new Caught(partition, from.get(), shape);
            }
            why = partition + " moved away from " + clientPrefix;
        }
        throw new MinerException("could not catch " + clientPrefix + " inside a transaction: " + why);
    }

    /** A hasher thread (its client id, which names its transactional id) and a partition of miner.blocks it owns. */
    private record Owner(String hasherId, TopicPartition partition) {
    }

    /**
     * The series, as one record batch to one partition: its offsets. The producer holds records until
     * {@code flush()} (a linger far longer than the sends take), so a descheduled sending thread cannot split the
     * batch and let rng's records in between; the batch limit is far above the series' few kilobytes.
     */
    private List<Long> write(TopicPartition partition, Shape shape) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "miner-chaos-series");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 60_000);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
        try (Producer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            long now = Instant.now().toEpochMilli();
            String series = "chaos-txn-" + HEX.toHexDigits(random.nextLong());
            for (int i = 0; i < BLOCKS; i++) {
                if (shape == Shape.REPORT_SENT) {
                    sends.add(send(producer, partition, Block.of(series + "-s" + i, seed(), 1, 24, now)));
                }
                sends.add(send(producer, partition, Block.of(series + "-b" + i, seed(), Block.MAX_NONCES, 24, now)));
            }
            producer.flush();
            List<Long> offsets = new ArrayList<>();
            for (Future<RecordMetadata> sent : sends) {
                offsets.add(sent.get(10, TimeUnit.SECONDS).offset());
            }
            return offsets;
        } catch (Exception e) {
            throw new MinerException("writing blocks to " + partition + " failed: " + e);
        }
    }

    private static Future<RecordMetadata> send(Producer<byte[], byte[]> producer, TopicPartition partition,
                                               Block block) {
        return producer.send(new ProducerRecord<>(partition.topic(), partition.partition(),
                Topics.BLOCKS.keySerde().serializer().serialize(partition.topic(), block.id()),
                Topics.BLOCKS.valueSerde().serializer().serialize(partition.topic(), block)));
    }

    private static boolean contiguous(List<Long> offsets) {
        return offsets.getLast() - offsets.getFirst() == offsets.size() - 1;
    }

    /**
     * Waits until the group's committed offset on the partition lands inside the series, where the next transaction
     * begins with the shape's first block and has at least one full-size block left to hash: the offset it returns.
     */
    private Optional<Long> awaitCommitInside(TopicPartition partition, List<Long> offsets, Shape shape,
                                             String transactionalId) {
        Instant deadline = Instant.now().plus(ATTEMPT_BOUND);
        while (Instant.now().isBefore(deadline)) {
            long committed = committed(partition);
            if (committed > offsets.getLast()) {
                return Optional.empty();
            }
            // For a zombie with nothing on the broker, the coordinator must not list its transaction as ongoing.
            if (opensInside(committed, offsets.getFirst(), offsets.getLast(), shape)
                    && (shape == Shape.REPORT_SENT || !reportOnBroker(transactionalId))) {
                return Optional.of(committed);
            }
            pause(POLL);
        }
        return Optional.empty();
    }

    private boolean awaitReportOnBroker(String transactionalId) {
        Instant deadline = Instant.now().plus(REPORT_BOUND);
        while (Instant.now().isBefore(deadline)) {
            if (reportOnBroker(transactionalId)) {
                return true;
            }
            pause(POLL);
        }
        return false;
    }

    /** Whether the coordinator has an ongoing transaction of that id that has written to miner.hashes. */
    private boolean reportOnBroker(String transactionalId) {
        try {
            TransactionDescription transaction = admin.describeTransactions(List.of(transactionalId)).all()
                    .get(5, TimeUnit.SECONDS).get(transactionalId);
            return transaction.state() == TransactionState.ONGOING && transaction.topicPartitions().stream()
                    .anyMatch(tp -> tp.topic().equals(Topics.HASHES.name()));
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Whether the transaction that starts at the committed offset lies inside the series {@code [first, last]}
     * and opens with the shape's first block: a full-size one for {@link Shape#NOTHING_SENT}, a small one (at an
     * even distance from the first) for {@link Shape#REPORT_SENT}. The last block of the series is a full-size one.
     */
    static boolean opensInside(long committed, long first, long last, Shape shape) {
        boolean opensRight = shape == Shape.NOTHING_SENT || (committed - first) % 2 == 0;
        return committed > first && committed <= last && opensRight;
    }

    private long committed(TopicPartition partition) {
        try {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(ConsumerGroups.HASHER)
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS).get(partition);
            return offset == null ? -1 : offset.offset();
        } catch (Exception e) {
            return -1;
        }
    }

    /** A hasher is ready before the group has given it partitions, and a rebalance may leave it none for a while. */
    private Optional<Owner> awaitOwner(String clientPrefix) {
        Instant deadline = Instant.now().plus(ATTEMPT_BOUND);
        Optional<Owner> owner = ownerOf(clientPrefix);
        while (owner.isEmpty() && Instant.now().isBefore(deadline)) {
            pause(Duration.ofMillis(250));
            owner = ownerOf(clientPrefix);
        }
        return owner;
    }

    private Optional<Owner> ownerOf(String clientPrefix) {
        return HasherGroup.members(admin, clientPrefix).stream()
                .flatMap(m -> m.assignment().topicPartitions().stream()
                        .filter(tp -> tp.topic().equals(Topics.BLOCKS.name()))
                        .map(tp -> new Owner(m.clientId(), tp)))
                .min(Comparator.comparingInt(owner -> owner.partition().partition()));
    }

    private boolean owns(String clientPrefix, TopicPartition partition) {
        return HasherGroup.members(admin, clientPrefix).stream().anyMatch(m -> m.assignment().topicPartitions().contains(partition));
    }


    private String seed() {
        return HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong())
                + HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong());
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration); // the broker's answers are polled; there is nothing to wait on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MinerException("interrupted");
        }
    }
}
