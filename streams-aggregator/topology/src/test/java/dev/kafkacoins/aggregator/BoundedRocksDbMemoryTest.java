package dev.kafkacoins.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkacoins.protocol.HashReport;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.service.RecordTracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/**
 * The aggregator's real state stores, opened by Kafka Streams' own RocksDB code in a {@link TopologyTestDriver}
 * (no broker), report the block cache they run with: with {@link BoundedRocksDbMemory} every store has the one
 * shared, bounded cache, where Kafka Streams' default is a 50 MiB cache per RocksDB instance.
 */
class BoundedRocksDbMemoryTest {

    private static final long T0 = 1_700_000_000_000L;

    @Test
    void everyStateStoreRunsOnTheOneBoundedBlockCache() {
        Map<String, Double> capacities = blockCacheCapacities(Map.of(
                StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class));

        assertThat(capacities).containsOnlyKeys(HashRateTopology.RATE_STORE, HashRateTopology.TOTAL_STORE)
                .allSatisfy((store, bytes) -> assertThat(bytes).as(store)
                        .isEqualTo((double) BoundedRocksDbMemory.TOTAL_BYTES));
    }

    /** Each RocksDB store's block-cache-capacity metric, after some reports went through the topology. */
    private static Map<String, Double> blockCacheCapacities(Map<String, Object> config) {
        StreamsBuilder builder = new StreamsBuilder();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        HashRateTopology.build(builder, Duration.ofSeconds(2), registry.counter("dead.letters"),
                registry.counter("clamped"), RecordTracing.OFF);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "rocksdb-memory-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.putAll(config);
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            TestInputTopic<String, byte[]> hashes = driver.createInputTopic(Topics.HASHES.name(),
                    Serdes.String().serializer(), Serdes.ByteArray().serializer());
            for (int i = 0; i < 100; i++) {
                HashReport report = HashReport.of("rng-t-" + i, "h" + (i % 3), 0, i, 65_536, 0,
                        T0 + i * 100L - 50, T0 + i * 100L);
                hashes.pipeInput(report.hasher(),
                        Topics.HASHES.valueSerde().serializer().serialize(Topics.HASHES.name(), report), T0);
            }
            return driver.metrics().entrySet().stream()
                    .filter(m -> m.getKey().name().equals("block-cache-capacity"))
                    .collect(Collectors.toMap(m -> store(m.getKey()), m -> value(m.getValue())));
        }
    }

    private static String store(MetricName metric) {
        return metric.tags().entrySet().stream().filter(t -> t.getKey().endsWith("-state-id"))
                .map(Map.Entry::getValue).findFirst().orElseThrow();
    }

    private static double value(Metric metric) {
        return ((Number) metric.metricValue()).doubleValue();
    }
}
