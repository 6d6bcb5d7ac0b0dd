package dev.kafkacoins.testsupport;

import dev.kafkacoins.protocol.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What a user does with the Kafka CLI, for tests: create the registry's topics, publish records (valid or not),
 * read a topic's committed records, its end offsets and a group's lag. Deliberately independent of the
 * services' own client code, so a test checks the services against plain Kafka clients.
 */
public final class KafkaProbe {

    private final String bootstrapServers;

    public KafkaProbe(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Every committed record of the topic, as a {@code read_committed} consumer sees it, from the beginning to
     * the last stable offset of each partition. Values are raw bytes so nothing invalid is hidden by parsing.
     */
    public List<ConsumerRecord<byte[], byte[]>> readCommitted(Topic<?, ?> topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props,
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end offsets " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** Waits until the broker answers a metadata request; the failure message ends with {@code log}'s tail. */
    public void awaitReachable(Duration timeout, java.util.function.IntFunction<String> log) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers, "request.timeout.ms", 2000,
                "default.api.timeout.ms", 3000))) {
            while (true) {
                try {
                    admin.describeCluster().clusterId().get(3, java.util.concurrent.TimeUnit.SECONDS);
                    return;
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("broker at " + bootstrapServers + " did not answer within "
                                + timeout + ":\n" + log.apply(40), e);
                    }
                }
            }
        }
    }

    /**
     * Partitions whose last stable offset is behind their high watermark, with both: a transaction still open
     * there hides everything after its first record from read_committed readers. Empty when all are settled.
     */
    public Map<TopicPartition, String> unstablePartitions(Topic<?, ?> topic) {
        Map<TopicPartition, Long> stable = endOffsets(topic, "read_committed");
        Map<TopicPartition, Long> high = endOffsets(topic, "read_uncommitted");
        Map<TopicPartition, String> unstable = new java.util.TreeMap<>(
                java.util.Comparator.comparingInt(TopicPartition::partition));
        stable.forEach((tp, lso) -> {
            if (lso < high.get(tp)) {
                unstable.put(tp, "last stable offset " + lso + " < high watermark " + high.get(tp));
            }
        });
        return unstable;
    }

    private Map<TopicPartition, Long> endOffsets(Topic<?, ?> topic, String isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props,
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            return consumer.endOffsets(partitions, Duration.ofSeconds(10));
        }
    }

    /** Creates topics as the registry defines them (one replica). */
    public void createTopics(Topic<?, ?>... topics) {
        try (Admin admin = admin()) {
            admin.createTopics(Arrays.stream(topics).map(t -> t.newTopic(t.partitions(), (short) 1)).toList())
                    .all().get();
        } catch (Exception e) {
            throw new IllegalStateException("could not create topics", e);
        }
    }

    /** Publishes valid records with the topic's own serdes; returns after every one is acknowledged. */
    public <K, V> void send(Topic<K, V> topic, List<V> values, java.util.function.Function<V, K> key) {
        try (KafkaProducer<K, V> producer = new KafkaProducer<>(producerProps(), topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            for (V value : values) {
                producer.send(new ProducerRecord<>(topic.name(), key.apply(value), value));
            }
            producer.flush();
        }
    }

    /** Publishes raw bytes to one partition, the way a buggy or hostile producer would. */
    public RecordMetadata sendRaw(Topic<?, ?> topic, int partition, byte[] key, byte[] value) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(topic.name(), partition, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }

    private Properties producerProps() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return props;
    }

    /**
     * Members of a consumer group and the partitions each owns, as {@code --describe --members} lists; empty
     * when the group does not exist (yet).
     */
    public Map<String, List<Integer>> members(String group) {
        try (Admin admin = admin()) {
            return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().stream()
                    .collect(Collectors.toMap(m -> m.clientId() + "/" + m.consumerId(), m -> m.assignment()
                            .topicPartitions().stream().map(TopicPartition::partition).sorted().toList()));
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException) {
                return Map.of();
            }
            throw new IllegalStateException("could not describe group " + group, e);
        } catch (Exception e) {
            throw new IllegalStateException("could not describe group " + group, e);
        }
    }

    /** Sum over partitions of the end offsets: how many records were ever appended (including markers). */
    public long endOffsetSum(Topic<?, ?> topic) {
        return endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Total lag of a consumer group on a topic, as {@code kafka-consumer-groups --describe} computes it. */
    public long lag(String group, Topic<?, ?> topic) {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> end = endOffsets(admin, topic);
            Map<TopicPartition, Long> start = offsets(admin, topic, OffsetSpec.earliest());
            return end.entrySet().stream().mapToLong(e -> {
                OffsetAndMetadata c = committed.get(e.getKey());
                return e.getValue() - (c == null ? start.get(e.getKey()) : c.offset());
            }).sum();
        } catch (Exception e) {
            throw new IllegalStateException("could not read the lag of group " + group, e);
        }
    }

    public Map<TopicPartition, Long> endOffsets(Topic<?, ?> topic) {
        try (Admin admin = admin()) {
            return endOffsets(admin, topic);
        }
    }

    private Map<TopicPartition, Long> endOffsets(Admin admin, Topic<?, ?> topic) {
        return offsets(admin, topic, OffsetSpec.latest());
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, Topic<?, ?> topic, OffsetSpec spec) {
        try {
            int partitions = admin.describeTopics(List.of(topic.name())).allTopicNames().get()
                    .get(topic.name()).partitions().size();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic.name(), p), spec);
            }
            return admin.listOffsets(request).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (Exception e) {
            throw new IllegalStateException("could not list offsets of " + topic, e);
        }
    }

    private Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", bootstrapServers));
    }
}
