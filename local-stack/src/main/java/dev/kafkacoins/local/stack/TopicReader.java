package dev.kafkacoins.local.stack;

import dev.kafkacoins.local.MinerException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Every committed record of a topic, as a consumer in {@code read_committed} mode sees it; no group, no commit. */
public final class TopicReader {

    private TopicReader() {
    }

    /**
     * Every committed record, in a list: for topics that the caller holds in memory anyway.
     *
     * @param client the broker's address and credentials ({@link Catalog#kafkaAdmin()})
     */
    public static List<ConsumerRecord<byte[], byte[]>> readCommitted(Map<String, Object> client, String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        forEachCommitted(client, topic, records::add);
        return records;
    }

    /**
     * Every committed record, handed to {@code each} as it is read and not kept: the launcher's heap is small
     * (96 MB) and a benchmark's miner.hashes holds a few hundred thousand reports.
     */
    public static void forEachCommitted(Map<String, Object> client, String topic,
                                        Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "miner-topic-reader");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // read_committed end offsets: the last stable offsets, so open transactions do not hold us forever.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new MinerException("could not read " + topic + " to its end within 2 minutes");
                }
                consumer.poll(Duration.ofMillis(500)).forEach(each);
            }
        }
    }
}
