package dev.kafkacoins.sink;

import dev.kafkacoins.kit.InstanceIds;
import dev.kafkacoins.protocol.DeadLetters;
import dev.kafkacoins.protocol.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Sends what the sink could not write to {@link Topics#SINK_DLQ}: records that are not valid, and rows
 * PostgreSQL refused (header {@value #SQL_STATE} carries PostgreSQL's SQLState). They are sent, and acknowledged,
 * before the batch's offsets are committed, so a crash in between sends them again rather than losing them.
 */
@Component
class SinkDeadLetters implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SinkDeadLetters.class);
    static final String SQL_STATE = "dlq.sql.state";

    private final KafkaProperties kafka;
    private final String rejectedBy;
    private final Counter invalid;
    private final Counter refused;
    private final MeterRegistry registry;
    private Producer<byte[], byte[]> producer;
    private KafkaClientMetrics producerMetrics;

    SinkDeadLetters(KafkaProperties kafka, SinkProperties settings, MeterRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
        this.rejectedBy = "pg-sink-" + InstanceIds.resolve(settings.instanceId());
        this.invalid = Counter.builder("kafkacoins.sink.dead.letters").tag("reason", "invalid")
                .description("records sent to miner.sink.dlq").register(registry);
        this.refused = Counter.builder("kafkacoins.sink.dead.letters").tag("reason", "refused-by-postgres")
                .description("records sent to miner.sink.dlq").register(registry);
    }

    /** Sends the batch's dead letters and waits for the broker's acknowledgement. */
    void publish(SinkBatch batch, PostgresWriter.Outcome outcome) {
        List<ProducerRecord<byte[], byte[]>> letters = new ArrayList<>();
        for (SinkBatch.Invalid bad : batch.invalid()) {
            letters.add(DeadLetters.of(Topics.SINK_DLQ, bad.source(), bad.reason(), rejectedBy));
        }
        for (PostgresWriter.Refused row : outcome.refused()) {
            LOG.warn("PostgreSQL refused {}-{}@{} ({} {}): {}; sent to {}", row.source().topic(),
                    row.source().partition(), row.source().offset(), row.table(), row.sqlState(), row.message(),
                    Topics.SINK_DLQ.name());
            ProducerRecord<byte[], byte[]> letter = DeadLetters.of(Topics.SINK_DLQ, row.source(),
                    new RowRefusedException(row.table() + ": PostgreSQL refused the row (SQLState " + row.sqlState()
                            + "): " + row.message()), rejectedBy);
            letter.headers().add(new RecordHeader(SQL_STATE, String.valueOf(row.sqlState())
                    .getBytes(StandardCharsets.UTF_8)));
            letters.add(letter);
        }
        if (letters.isEmpty()) {
            return;
        }
        List<Future<RecordMetadata>> sent = letters.stream().map(producer()::send).toList();
        try {
            for (Future<RecordMetadata> ack : sent) {
                ack.get();
            }
        } catch (ExecutionException e) {
            throw new KafkaException("could not send dead letters to " + Topics.SINK_DLQ.name(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while sending dead letters", e);
        }
        invalid.increment(batch.invalid().size());
        refused.increment(outcome.refused().size());
    }

    private synchronized Producer<byte[], byte[]> producer() {
        if (producer == null) {
            Map<String, Object> props = new HashMap<>(kafka.buildProducerProperties());
            props.put(ProducerConfig.CLIENT_ID_CONFIG, rejectedBy + "-dlq");
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
            producerMetrics = new KafkaClientMetrics(producer);
            producerMetrics.bindTo(registry);
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producerMetrics.close();
            producer.close();
        }
    }

    /** A row of valid protocol that the database refused (a constraint or a data error). */
    static final class RowRefusedException extends RuntimeException {
        RowRefusedException(String message) {
            super(message);
        }
    }
}
