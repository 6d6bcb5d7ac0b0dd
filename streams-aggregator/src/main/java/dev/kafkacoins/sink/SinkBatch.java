package dev.kafkacoins.sink;

import dev.kafkacoins.protocol.Coin;
import dev.kafkacoins.protocol.HashKernel;
import dev.kafkacoins.protocol.HasherTotal;
import dev.kafkacoins.protocol.InvalidRecordException;
import dev.kafkacoins.protocol.RateWindow;
import dev.kafkacoins.protocol.Topics;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * re-verify, and the offsets to commit once the database has the rows. Records that are not valid are left out
 * and counted: they never reach PostgreSQL.
 */
final class SinkBatch {

    private static final Logger LOG = LoggerFactory.getLogger(SinkBatch.class);

    private final Map<String, RateWindow> rates = new LinkedHashMap<>();
    private final Map<String, HasherTotal> totals = new LinkedHashMap<>();
    private final Map<String, Coin> coins = new LinkedHashMap<>();
    private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    private int rejected;

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
                RateWindow w = Topics.RATES.valueSerde().deserializer().deserialize(record.topic(), record.value());
                rates.put(w.hasher() + "@" + w.windowStart(), w);
            } else if (record.topic().equals(Topics.TOTALS.name())) {
                HasherTotal t = Topics.TOTALS.valueSerde().deserializer().deserialize(record.topic(), record.value());
                totals.put(t.hasher(), t);
            } else if (record.topic().equals(Topics.COINS.name())) {
                Coin c = Topics.COINS.valueSerde().deserializer().deserialize(record.topic(), record.value());
                if (!HashKernel.verify(c)) {
                    throw new InvalidRecordException("Coin " + c.hash() + " does not re-verify from its seed and nonce");
                }
                coins.put(c.hash(), c);
            }
        } catch (InvalidRecordException invalid) {
            rejected++;
            LOG.warn("skipped {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), invalid.getMessage());
        }
    }

    Collection<RateWindow> rates() {
        return rates.values();
    }

    Collection<HasherTotal> totals() {
        return totals.values();
    }

    Collection<Coin> coins() {
        return coins.values();
    }

    Map<TopicPartition, OffsetAndMetadata> offsets() {
        return offsets;
    }

    int rejected() {
        return rejected;
    }

    int rows() {
        return rates.size() + totals.size() + coins.size();
    }
}
