package dev.kafkacoins.protocol;

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

    public boolean compacted() {
        return COMPACT.equals(cleanupPolicy);
    }

    @Override
    public String toString() {
        return name;
    }
}
