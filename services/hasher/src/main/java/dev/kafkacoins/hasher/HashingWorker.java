package dev.kafkacoins.hasher;

import dev.kafkacoins.protocol.Block;
import dev.kafkacoins.protocol.Coin;
import dev.kafkacoins.protocol.ConsumerGroups;
import dev.kafkacoins.protocol.DeadLetters;
import dev.kafkacoins.protocol.InvalidRecordException;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.service.BackgroundLoop;
import dev.kafkacoins.service.RecordTracing;
import io.micrometer.tracing.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One hasher thread: a member of the {@code hasher} group with its own transactional producer, running Kafka's
 * read-process-write loop. Every block's report, its coins, any dead letters and the consumed offsets are
 * committed in one transaction, so a block is counted exactly once however the process dies.
 *
 * <p>Written on the plain Kafka clients rather than a spring-kafka listener container: the container gives a
 * record listener one transaction per record, and a batch listener cannot dead-letter a single poison record
 * inside the batch's own transaction. Here one transaction covers many blocks (bounded by time, so offsets
 * advance steadily) and a poison record goes to the DLQ in the same transaction as its offset.
 */
final class HashingWorker extends BackgroundLoop {

    private static final Logger LOG = LoggerFactory.getLogger(HashingWorker.class);
    private static final Duration THROUGHPUT_LOG_INTERVAL = Duration.ofSeconds(10);
    /** Bounds closing the clients; while the broker is away a close would otherwise wait for it. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    /** Creates this thread's clients: new ones for each life of the loop. */
    interface Clients {
        Consumer<byte[], byte[]> consumer();

        Producer<byte[], byte[]> producer();

        /** Called once a life has closed the clients it created, so what was tied to them can go too. */
        default void closed() {
        }
    }

    private final String hasherId;
    private final Clients clients;
    private final BlockHasher hasher;
    private final HasherMetrics metrics;
    private final HasherProperties settings;
    private final ThroughputLog throughput;
    private final RecordTracing tracing;
    /** Between beginTransaction and a commit or abort that returned; only this loop's thread uses it. */
    private boolean transactionOpen;

    HashingWorker(String hasherId, Clients clients, BlockHasher hasher, HasherMetrics metrics,
                  HasherProperties settings, RecordTracing tracing) {
        // A transaction lasts at most the budget plus one block; the timeout bounds a stuck one.
        super(hasherId, settings.transactionTimeout());
        this.hasherId = hasherId;
        this.clients = clients;
        this.hasher = hasher;
        this.metrics = metrics;
        this.settings = settings;
        this.throughput = new ThroughputLog(hasherId, THROUGHPUT_LOG_INTERVAL);
        this.tracing = tracing;
    }

    String hasherId() {
        return hasherId;
    }

    /**
     * One life of the thread, with clients of its own. Any failure that an abort cannot clean up (a fenced or
     * timed-out producer, a broker away longer than the clients' timeouts, a recovery step that throws itself)
     * ends it; {@link BackgroundLoop} then starts a new life, whose {@code initTransactions()} fences this
     * producer and settles its open transaction, and whose consumer resumes from the committed offsets.
     */
    @Override
    protected void loop() {
        Consumer<byte[], byte[]> consumer = clients.consumer();
        Producer<byte[], byte[]> producer = null;
        transactionOpen = false;
        try {
            producer = clients.producer();
            producer.initTransactions();
            consumer.subscribe(List.of(Topics.BLOCKS.name()), new AssignmentLog(hasherId));
            LOG.info("{} joined group '{}' on {}", hasherId, ConsumerGroups.HASHER, Topics.BLOCKS.name());
            while (running()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(settings.pollTimeout());
                if (!records.isEmpty()) {
                    process(records, consumer, producer);
                }
                // Progress is a committed transaction, or an idle member that owns partitions: a life that
                // fails before either must not reset its back-off and read RUNNING.
                if (!records.isEmpty() || !consumer.assignment().isEmpty()) {
                    madeProgress();
                }
                throughput.maybeLog();
            }
        } finally {
            if (producer != null && transactionOpen && !running()) {
                abortAtShutdown(producer);
            }
            // Consumer first: it leaves the group, so its partitions move on without waiting for a timeout.
            closeQuietly(() -> consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT)));
            Producer<byte[], byte[]> opened = producer;
            if (opened != null) {
                closeQuietly(() -> opened.close(CLOSE_TIMEOUT));
            }
            clients.closed();
            LOG.info("{} left group '{}'", hasherId, ConsumerGroups.HASHER);
        }
    }

    /**
     * {@code close()} does not abort an open transaction: the broker would keep it open until transaction-timeout,
     * holding back the last stable offset of every partition it wrote to (read_committed readers stop there) and
     * blocking the next owner of its input partitions. At shutdown there is no next life whose initTransactions
     * would settle it, so abort it here. (A life that failed leaves it to the next one: an abort would only wait
     * for a broker that is away.)
     */
    private void abortAtShutdown(Producer<byte[], byte[]> producer) {
        try {
            producer.abortTransaction();
            transactionOpen = false;
        } catch (RuntimeException e) {
            LOG.warn("{}: could not abort the open transaction at shutdown ({}); the broker aborts it after {}",
                    hasherId, e.toString(), settings.transactionTimeout());
        }
    }

    private void closeQuietly(Runnable close) {
        try {
            close.run();
        } catch (RuntimeException e) {
            LOG.debug("{}: closing a client failed: {}", hasherId, e.toString());
        }
    }

    /**
     * Processes one poll's records in one transaction, bounded by the time budget. Records left over when the
     * budget runs out (or the loop is asked to stop) are handed back by seeking to the first of them: the
     * thread returns to {@code poll()} at least once per budget, which is where the consumer acknowledges a
     * rebalance, so a joining member gets its partitions within about a second rather than after a whole batch.
     * When the transaction fails it is aborted and the consumer rewinds to the committed offsets; when that is
     * not possible the exception ends this life of the loop.
     */
    private void process(ConsumerRecords<byte[], byte[]> records, Consumer<byte[], byte[]> consumer,
                         Producer<byte[], byte[]> producer) {
        Iterator<ConsumerRecord<byte[], byte[]>> pending = records.iterator();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        HasherMetrics.TransactionTally tally = new HasherMetrics.TransactionTally();
        // Each block's span lasts until its transaction is settled: what it shows is when the block counted.
        List<Span> spans = new ArrayList<>();
        long deadline = System.nanoTime() + settings.transactionBudget().toNanos();
        try {
            producer.beginTransaction();
            transactionOpen = true;
            do {
                ConsumerRecord<byte[], byte[]> record = pending.next();
                process(record, producer, tally, spans);
                offsets.put(new TopicPartition(record.topic(), record.partition()),
                        new OffsetAndMetadata(record.offset() + 1));
            } while (pending.hasNext() && running() && System.nanoTime() < deadline);
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
            transactionOpen = false;
        } catch (ProducerFencedException | InvalidProducerEpochException | OutOfOrderSequenceException
                 | AuthorizationException unusable) {
            // This producer can do nothing more: another instance took its transactional id, the broker aborted
            // its transaction (it outlived transaction-timeout), or it is not allowed to. New clients, or the exit.
            metrics.aborted();
            end(spans, unusable);
            throw unusable;
        } catch (KafkaException e) {
            LOG.warn("{}: transaction failed ({}); aborting and rewinding to committed offsets", hasherId,
                    e.toString());
            metrics.aborted();
            end(spans, e);
            try {
                // Throws itself when the producer cannot abort (after a commit that timed out, say).
                producer.abortTransaction();
                transactionOpen = false;
                rewindToCommitted(consumer);
            } catch (RuntimeException recovery) {
                recovery.addSuppressed(e);
                throw recovery;
            }
            return;
        }
        end(spans, null);
        metrics.committed(tally);
        throughput.add(tally);
        if (pending.hasNext()) {
            handBack(records, offsets, consumer);
        }
    }

    /** Ends the blocks' spans once their transaction is settled: committed, or not ({@code failure}). */
    private static void end(List<Span> spans, RuntimeException failure) {
        for (Span span : spans) {
            span.tag("transaction.blocks", spans.size());
            if (failure != null) {
                span.error(failure);
            }
            span.end();
        }
    }

    private void process(ConsumerRecord<byte[], byte[]> record, Producer<byte[], byte[]> producer,
                         HasherMetrics.TransactionTally tally, List<Span> spans) {
        Span span = tracing.continueFrom(record.headers(), "hash block").tag("partition", record.partition())
                .tag("offset", record.offset());
        if (!span.isNoop()) {
            spans.add(span);
        }
        Block block;
        try {
            block = Topics.BLOCKS.parse(record);
        } catch (InvalidRecordException invalid) {
            span.tag("dead.letter", invalid.getMessage());
            // A poison record is committed to the DLQ with its offset, so it is never retried and never stalls.
            producer.send(DeadLetters.of(Topics.BLOCKS_DLQ, record, invalid, hasherId));
            tally.deadLetters++;
            LOG.warn("{}: {}-{}@{} sent to {}: {}", hasherId, record.topic(), record.partition(), record.offset(),
                    Topics.BLOCKS_DLQ.name(), invalid.getMessage());
            return;
        }
        BlockHasher.Result result = hasher.hash(block, record.partition(), record.offset());
        span.tag("block", block.id()).tag("coins", result.coins().size());
        ProducerRecord<byte[], byte[]> report = new ProducerRecord<>(Topics.HASHES.name(),
                Topics.HASHES.keySerde().serializer().serialize(Topics.HASHES.name(), hasherId),
                Topics.HASHES.valueSerde().serializer().serialize(Topics.HASHES.name(), result.report()));
        tracing.inject(span, report.headers());
        producer.send(report);
        for (Coin coin : result.coins()) {
            ProducerRecord<byte[], byte[]> coinRecord = new ProducerRecord<>(Topics.COINS.name(),
                    Topics.COINS.keySerde().serializer().serialize(Topics.COINS.name(), coin.hash()),
                    Topics.COINS.valueSerde().serializer().serialize(Topics.COINS.name(), coin));
            tracing.inject(span, coinRecord.headers());
            producer.send(coinRecord);
        }
        tally.blocks++;
        tally.hashes += block.nonces();
        tally.coins += result.coins().size();
    }

    /** Seeks every partition of this poll that still has unprocessed records back to its first one. */
    private static void handBack(ConsumerRecords<byte[], byte[]> records,
                                 Map<TopicPartition, OffsetAndMetadata> committed, Consumer<byte[], byte[]> consumer) {
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> inPartition = records.records(tp);
            OffsetAndMetadata done = committed.get(tp);
            long first = done != null ? done.offset() : inPartition.getFirst().offset();
            if (first <= inPartition.getLast().offset() && consumer.assignment().contains(tp)) {
                consumer.seek(tp, first);
            }
        }
    }

    private void rewindToCommitted(Consumer<byte[], byte[]> consumer) {
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
        for (TopicPartition tp : assigned) {
            OffsetAndMetadata offset = committed.get(tp);
            if (offset == null) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, offset.offset());
            }
        }
    }

    /** Logs which partitions this member owns: the group's rebalances are part of the demo. */
    private record AssignmentLog(String hasherId) implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                LOG.info("{} assigned {}", hasherId, partitions);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                LOG.info("{} revoked {}", hasherId, partitions);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            LOG.warn("{} lost {} (session expired)", hasherId, partitions);
        }
    }
}
