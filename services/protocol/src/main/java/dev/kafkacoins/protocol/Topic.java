package dev.kafkacoins.protocol;

import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;

/**
 * One Kafka topic with everything a client needs to use it correctly: its name, the serdes of its key and
 * value, and the defaults it is created with. Only {@link Topics} creates these.
 *
 * @param partitions    partitions when created locally (deployments may override)
 * @param cleanupPolicy {@code delete} or {@code compact}
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, int partitions, String cleanupPolicy) {

    public static final String DELETE = "delete";
    public static final String COMPACT = "compact";

    /**
     * The value of a consumed record, parsed and fully checked: the format and every field's range (by the
     * deserializer), then every timestamp against the record's own Kafka timestamp and the reader's clock
     * ({@link TimeBounds}), which a deserializer never sees. Consumers read values through here, not through the
     * serde alone.
     *
     * @throws InvalidRecordException naming the type and the field, for a dead letter
     */
    public V parse(ConsumerRecord<?, byte[]> record) {
        return parse(record.value(), record.timestamp(), System.currentTimeMillis());
    }

    /** As {@link #parse(ConsumerRecord)}, for readers that see the value and timestamp apart (Kafka Streams). */
    public V parse(byte[] value, long recordTimestamp, long now) {
        V parsed = valueSerde.deserializer().deserialize(name, value);
        if (parsed instanceof TimeBounds.Timed timed) {
            timed.checkTimes(TimeBounds.around(parsed.getClass().getSimpleName(), recordTimestamp, now));
        }
        return parsed;
    }

    /**
     * The admin request that creates this topic with its cleanup policy, and the only place that builds one: the
     * services' start-up (TopicSettings), the tools that create topics without Spring (./miner's StackTopics) and
     * the tests' brokers (KafkaProbe, AclEnforcementIT) all go through it.
     *
     * @param partitions the registry's default or a deployment's override
     */
    public NewTopic newTopic(int partitions, short replicationFactor) {
        return new NewTopic(name, partitions, replicationFactor)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy));
    }

    public boolean compacted() {
        return COMPACT.equals(cleanupPolicy);
    }

    @Override
    public String toString() {
        return name;
    }
}
