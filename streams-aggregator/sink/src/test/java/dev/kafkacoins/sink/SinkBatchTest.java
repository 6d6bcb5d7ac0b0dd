package dev.kafkacoins.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkacoins.protocol.Coin;
import dev.kafkacoins.protocol.HasherTotal;
import dev.kafkacoins.protocol.RateWindow;
import dev.kafkacoins.protocol.Topic;
import dev.kafkacoins.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class SinkBatchTest {

    private static final String SEED = "c34fa3887dcce47fcb7812e6bdeedb8455e6e663e94dc2f093dc75096ce88c8f";
    private static final Coin REAL_COIN = Coin.of("000019fc0604a74da65829ca0f54a8ecb75dc61a45511e938f17f864cc5b0ff2",
            SEED, 63416, 19, "rng-x-1", "h1-t0", 1);

    /** The Kafka timestamp of every record here: the values' own times are near it. */
    private static final long RECORD_TIME = 1_000;

    private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

    @Test
    void keepsOnlyTheLatestAbsoluteValuePerWindowAndPerHasher() {
        add(Topics.RATES, 0, RateWindow.of("h1", 1000, 2000, 100, 0, 1, 1));
        add(Topics.RATES, 0, RateWindow.of("h1", 1000, 2000, 300, 1, 2, 1));
        add(Topics.RATES, 0, RateWindow.of("h1", 2000, 3000, 50, 0, 1, 1));
        add(Topics.TOTALS, 1, HasherTotal.of("h1", 100, 0, 1, 1, 1));
        add(Topics.TOTALS, 1, HasherTotal.of("h1", 450, 1, 3, 1, 1));

        SinkBatch batch = SinkBatch.of(records());

        assertThat(batch.rates()).extracting(r -> r.value().hashes()).containsExactly(300L, 50L);
        assertThat(batch.totals()).extracting(r -> r.value().hashes()).containsExactly(450L);
        assertThat(batch.offsets()).containsEntry(new TopicPartition(Topics.RATES.name(), 0),
                new OffsetAndMetadata(3));
    }

    @Test
    void leavesOutRecordsThatAreInvalidOrCoinsThatDoNotVerifyButCommitsPastThem() {
        add(Topics.COINS, 0, REAL_COIN);
        add(Topics.COINS, 0, Coin.of(REAL_COIN.hash(), SEED, 63417, 19, "rng-x-1", "h1-t0", 1));
        raw(Topics.TOTALS, 0, "{not json".getBytes(StandardCharsets.UTF_8));

        SinkBatch batch = SinkBatch.of(records());

        assertThat(batch.coins()).extracting(SinkBatch.Row::value).containsExactly(REAL_COIN);
        assertThat(batch.totals()).isEmpty();
        assertThat(batch.rejected()).isEqualTo(2);
        assertThat(batch.offsets()).hasSize(2);
    }

    @Test
    void leavesOutATotalWhoseTimeIsBeyondPostgresRangeAndKeepsWhyForTheDeadLetter() {
        add(Topics.TOTALS, 0, HasherTotal.of("h1", 100, 0, 1, RECORD_TIME, Long.MAX_VALUE));
        add(Topics.TOTALS, 0, HasherTotal.of("h2", 100, 0, 1, RECORD_TIME, RECORD_TIME));

        SinkBatch batch = SinkBatch.of(records());

        assertThat(batch.totals()).extracting(r -> r.value().hasher()).containsExactly("h2");
        assertThat(batch.invalid()).singleElement().satisfies(bad -> {
            assertThat(bad.reason().getMessage()).startsWith("HasherTotal.lastCreatedAt 9223372036854775807");
            assertThat(bad.source().offset()).isZero();
        });
    }

    private <V> void add(Topic<String, V> topic, int partition, V value) {
        raw(topic, partition, topic.valueSerde().serializer().serialize(topic.name(), value));
    }

    private void raw(Topic<?, ?> topic, int partition, byte[] value) {
        long offset = records.stream().filter(r -> r.topic().equals(topic.name()) && r.partition() == partition).count();
        records.add(new ConsumerRecord<>(topic.name(), partition, offset, RECORD_TIME, TimestampType.CREATE_TIME,
                1, value == null ? 0 : value.length, "k".getBytes(StandardCharsets.UTF_8), value, new RecordHeaders(),
                Optional.empty()));
    }

    private ConsumerRecords<byte[], byte[]> records() {
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition = new LinkedHashMap<>();
        records.forEach(r -> byPartition.computeIfAbsent(new TopicPartition(r.topic(), r.partition()),
                tp -> new ArrayList<>()).add(r));
        return new ConsumerRecords<>(byPartition, Map.of());
    }
}
