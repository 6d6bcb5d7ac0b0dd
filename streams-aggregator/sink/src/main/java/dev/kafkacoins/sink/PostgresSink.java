package dev.kafkacoins.sink;

import dev.kafkacoins.kit.InstanceIds;
import dev.kafkacoins.protocol.ConsumerGroups;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.service.BackgroundLoop;
import dev.kafkacoins.service.RecordTracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Span;
import java.time.Duration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * The sink's loop: poll rates, totals and coins ({@code read_committed}), write the batch to PostgreSQL, and only
 * then commit the offsets. A crash between the two replays the batch, which the idempotent upserts absorb.
 *
 * <p>When PostgreSQL is unreachable the batch is kept and retried with exponential backoff. Meanwhile the
 * consumer is paused but keeps polling, so it stays in its group without fetching more: the committed position
 * stays where it was, lag grows, and the sink catches up by itself when the database returns.
 */
@Component
class PostgresSink extends BackgroundLoop {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresSink.class);

    private final SinkProperties settings;
    private final KafkaProperties kafka;
    private final PostgresWriter writer;
    private final SinkDeadLetters deadLetters;
    private final SinkState state;
    private final Counter rows;
    private final Counter rejected;
    private final Counter totalsBehind;
    private final Counter writeFailures;
    private final Timer batchWrites;
    private final MeterRegistry registry;
    private final RecordTracing tracing;

    PostgresSink(SinkProperties settings, KafkaProperties kafka, PostgresWriter writer, SinkDeadLetters deadLetters,
                 SinkState state, MeterRegistry registry, RecordTracing tracing) {
        super("pg-sink", Duration.ofSeconds(30));
        this.settings = settings;
        this.kafka = kafka;
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.state = state;
        this.registry = registry;
        this.tracing = tracing;
        this.rows = Counter.builder("kafkacoins.sink.rows").description("rows written (upserted or inserted)")
                .register(registry);
        this.rejected = Counter.builder("kafkacoins.sink.rejected")
                .description("records skipped because they are not valid (never written)").register(registry);
        this.totalsBehind = Counter.builder("kafkacoins.sink.totals.behind")
                .description("times a hasher's total in Kafka was found below PostgreSQL's (kept the larger)")
                .register(registry);
        registry.gauge("kafkacoins.sink.totals.behind.hashers", state, s -> s.totalsBehind().size());
        this.writeFailures = Counter.builder("kafkacoins.sink.write.failures")
                .description("batch writes that failed and were retried").register(registry);
        this.batchWrites = Timer.builder("kafkacoins.sink.batch.write").description("time to write one batch")
                .register(registry);
    }

    @Override
    protected void loop() {
        try (Consumer<byte[], byte[]> consumer = consumer();
             KafkaClientMetrics metrics = new KafkaClientMetrics(consumer)) {
            // Bound per life of the loop and closed with it, so the meters never read a closed consumer.
            metrics.bindTo(registry);
            consumer.subscribe(List.of(Topics.RATES.name(), Topics.TOTALS.name(), Topics.COINS.name()));
            while (running()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(settings.pollTimeout());
                if (records.isEmpty()) {
                    continue;
                }
                SinkBatch batch = SinkBatch.of(records);
                rejected.increment(batch.rejected());
                if (writeUntilDone(batch, consumer)) {
                    commit(batch, consumer);
                }
            }
        }
        // Anything thrown ends this consumer; BackgroundLoop starts over with a new one from the committed
        // offsets, or ends the process (see its recovery policy).
    }

    /** @return false when asked to stop before the batch could be written (its offsets stay uncommitted) */
    private boolean writeUntilDone(SinkBatch batch, Consumer<byte[], byte[]> consumer) {
        Map<ConsumerRecord<byte[], byte[]>, Span> spans = startSpans(batch);
        try {
            return writeUntilDone(batch, consumer, spans);
        } finally {
            spans.values().forEach(Span::end);
        }
    }

    /**
     * A span for each row whose record carries a sampled trace, continuing it; it lasts until the batch is in
     * PostgreSQL (retries and outages included), and its context is what a coin's row stores.
     */
    private Map<ConsumerRecord<byte[], byte[]>, Span> startSpans(SinkBatch batch) {
        Map<ConsumerRecord<byte[], byte[]>, Span> spans = new IdentityHashMap<>();
        batch.rates().forEach(row -> startSpan(spans, row.source(), "write hash_rates"));
        batch.totals().forEach(row -> startSpan(spans, row.source(), "write hasher_totals"));
        batch.coins().forEach(row -> startSpan(spans, row.source(), "write coins"));
        return spans;
    }

    private void startSpan(Map<ConsumerRecord<byte[], byte[]>, Span> spans, ConsumerRecord<byte[], byte[]> source,
                           String name) {
        if (RecordTracing.sampled(source.headers())) {
            spans.put(source, tracing.continueFrom(source.headers(), name)
                    .tag("topic", source.topic()).tag("partition", source.partition()).tag("offset", source.offset()));
        }
    }

    private boolean writeUntilDone(SinkBatch batch, Consumer<byte[], byte[]> consumer,
                                   Map<ConsumerRecord<byte[], byte[]>, Span> spans) {
        spans.values().forEach(span -> span.tag("batch.rows", batch.rows()));
        Duration backoff = settings.retryInitialBackoff();
        while (running()) {
            try {
                PostgresWriter.Outcome outcome = batchWrites.record(() -> writer.write(batch, source -> {
                    Span span = spans.get(source);
                    return span == null ? null : tracing.traceparent(span);
                }));
                for (PostgresWriter.Refused refusal : outcome.refused()) {
                    Span span = spans.get(refusal.source());
                    if (span != null) {
                        span.tag("refused", refusal.sqlState() + " " + refusal.message());
                    }
                }
                deadLetters.publish(batch, outcome);
                // Counted once the dead letters are out: a failed publish replays the batch.
                rows.increment(batch.rows() - outcome.refused().size());
                noticeTotalsBehind(outcome);
                if (state.outage() != null) {
                    LOG.info("PostgreSQL is back; resuming after {} failed attempts", state.outage().attempts());
                    consumer.resume(consumer.paused());
                }
                state.committed();
                return true;
            } catch (DataAccessException | TransactionException e) {
                // Both mean the database could not take the batch: it is away, or it failed mid-transaction.
                writeFailures.increment();
                if (state.outage() == null) {
                    LOG.warn("PostgreSQL write failed ({}); keeping the Kafka position and retrying", rootMessage(e));
                }
                state.failed(e);
                spans.values().forEach(span -> span.event("write failed; retrying"));
                consumer.pause(consumer.assignment());
                keepMembershipFor(backoff, consumer);
                backoff = backoff.multipliedBy(2).compareTo(settings.retryMaxBackoff()) > 0
                        ? settings.retryMaxBackoff() : backoff.multipliedBy(2);
            }
        }
        return false;
    }

    /**
     * Polls while paused, which fetches nothing but keeps this member in its group. A partition assigned during
     * the wait is not paused yet and may return records: they are handed back by seeking, to be read again later.
     */
    private static void keepMembershipFor(Duration wait, Consumer<byte[], byte[]> consumer) {
        ConsumerRecords<byte[], byte[]> unexpected = consumer.poll(wait);
        for (TopicPartition tp : unexpected.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> records = unexpected.records(tp);
            consumer.seek(tp, records.getFirst().offset());
        }
        consumer.pause(consumer.assignment());
    }

    /** A total that went backwards is kept at its larger value, and said out loud (log, metric, health). */
    private void noticeTotalsBehind(PostgresWriter.Outcome outcome) {
        totalsBehind.increment(outcome.behind().size());
        List<String> fresh = state.totals(outcome);
        for (PostgresWriter.TotalBehind b : outcome.behind()) {
            if (fresh.contains(b.hasher())) {
                LOG.warn("hasher {}: Kafka's total of {} hashes is below PostgreSQL's {}; keeping {} (did the Kafka "
                        + "cluster lose its data?)", b.hasher(), b.offered(), b.stored(), b.stored());
            }
        }
    }

    private static void commit(SinkBatch batch, Consumer<byte[], byte[]> consumer) {
        try {
            consumer.commitSync(batch.offsets());
        } catch (KafkaException e) {
            // The partitions moved to another member, which replays from the last commit; the upserts make the
            // replay harmless, so losing this commit loses nothing.
            LOG.info("offset commit not accepted ({}); the new owner will replay the batch", e.toString());
        }
    }

    private Consumer<byte[], byte[]> consumer() {
        Map<String, Object> props = new HashMap<>(kafka.buildConsumerProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, ConsumerGroups.SINK);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "pg-sink-" + InstanceIds.resolve(settings.instanceId()));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
