package dev.kafkacoins.sink;

import dev.kafkacoins.protocol.Coin;
import dev.kafkacoins.protocol.HashKernel;
import dev.kafkacoins.protocol.HasherTotal;
import dev.kafkacoins.protocol.InvalidRecordException;
import dev.kafkacoins.protocol.RateWindow;
import dev.kafkacoins.protocol.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poll's records, ready to write: only the latest rate window per (hasher, window) and the latest total per
 * hasher (each record carries absolute values, so earlier ones in the same batch add nothing), coins that
 * re-verify, and the offsets to commit once the database has the rows. Records that are not valid (format,
 * ranges, timestamps against their own Kafka timestamp) are left out, kept for the sink's dead-letter topic and
 * counted: they never reach PostgreSQL. Each row keeps the record it came from, for the dead letter of a row
 * the database refuses.
 */
final class SinkBatch {

    private static final Logger LOG = LoggerFactory.getLogger(SinkBatch.class);

    /** A value to write and the Kafka record it came from. */
    record Row<V>(V value, ConsumerRecord<byte[], byte[]> source) {
    }

    /** A record that is not valid, and why. */
    record Invalid(ConsumerRecord<byte[], byte[]> source, InvalidRecordException reason) {
    }

    private final Map<String, Row<RateWindow>> rates = new LinkedHashMap<>();
    private final Map<String, Row<HasherTotal>> totals = new LinkedHashMap<>();
    private final Map<String, Row<Coin>> coins = new LinkedHashMap<>();
    private final List<Invalid> invalid = new ArrayList<>();
    private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();

    static SinkBatch of(ConsumerRecords<byte[], byte[]> records) {
        SinkBatch batch = new SinkBatch();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            batch.add(record);
            batch.offsets.put(new TopicPartition(record.topic(), record.partition()),
                    new OffsetAndMetadata(record.offset() + 1));
        }
        return batch;
    }

    private void add(ConsumerRecord<byte[], byte[]> record) {
        try {
            if (record.topic().equals(Topics.RATES.name())) {
                RateWindow w = Topics.RATES.parse(record);
                rates.put(w.hasher() + "@" + w.windowStart(), new Row<>(w, record));
            } else if (record.topic().equals(Topics.TOTALS.name())) {
                HasherTotal t = Topics.TOTALS.parse(record);
                totals.put(t.hasher(), new Row<>(t, record));
            } else if (record.topic().equals(Topics.COINS.name())) {
                Coin c = Topics.COINS.parse(record);
                if (!HashKernel.verify(c)) {
                    throw new InvalidRecordException("Coin " + c.hash() + " does not re-verify from its seed and nonce");
                }
                coins.put(c.hash(), new Row<>(c, record));
            }
        } catch (InvalidRecordException e) {
            invalid.add(new Invalid(record, e));
            LOG.warn("skipped {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
        }
    }

    Collection<Row<RateWindow>> rates() {
        return rates.values();
    }

    Collection<Row<HasherTotal>> totals() {
        return totals.values();
    }

    Collection<Row<Coin>> coins() {
        return coins.values();
    }

    List<Invalid> invalid() {
        return invalid;
    }

    Map<TopicPartition, OffsetAndMetadata> offsets() {
        return offsets;
    }

    int rejected() {
        return invalid.size();
    }

    int rows() {
        return rates.size() + totals.size() + coins.size();
    }
}
