package dev.kafkacoins.service;

import dev.kafkacoins.protocol.Topic;
import jakarta.validation.constraints.Min;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.validation.annotation.Validated;

/**
 * How a service creates the topics it uses when they are absent (Spring's KafkaAdmin creates them at start-up
 * and adds partitions when fewer exist). Defaults come from the topic registry; overrides per topic name:
 * {@code kafkacoins.topics.partitions.[miner.blocks]=12}. Where topics are owned elsewhere (Strimzi KafkaTopic
 * resources) set {@code spring.kafka.admin.auto-create=false}.
 */
@Validated
@ConfigurationProperties("kafkacoins.topics")
public record TopicSettings(@DefaultValue("1") @Min(1) short replicationFactor, Map<String, Integer> partitions) {

    public TopicSettings {
        partitions = partitions == null ? Map.of() : Map.copyOf(partitions);
        partitions.forEach((name, count) -> {
            if (count == null || count < 1) {
                throw new IllegalArgumentException(
                        "kafkacoins.topics.partitions[" + name + "] must be at least 1, got " + count);
            }
        });
    }

    public NewTopic newTopic(Topic<?, ?> topic) {
        return topic.newTopic(partitions.getOrDefault(topic.name(), topic.partitions()), replicationFactor);
    }

    /** The bean a service declares for the topics it reads or writes. */
    public KafkaAdmin.NewTopics newTopics(Topic<?, ?>... topics) {
        return new KafkaAdmin.NewTopics(Arrays.stream(topics).map(this::newTopic).toArray(NewTopic[]::new));
    }
}
