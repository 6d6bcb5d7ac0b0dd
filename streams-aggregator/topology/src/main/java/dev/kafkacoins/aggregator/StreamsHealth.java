package dev.kafkacoins.aggregator;

import dev.kafkacoins.service.ServiceHealth;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

/**
 * The aggregator's liveness ({@value ServiceHealth#LOOPS}): UP while Kafka Streams starts, runs or rebalances; DOWN
 * once it has stopped or failed (StreamsLifecycle then also ends the process).
 */
@Component(ServiceHealth.LOOPS)
class StreamsHealth implements HealthIndicator {

    private final StreamsBuilderFactoryBean streams;

    StreamsHealth(StreamsBuilderFactoryBean streams) {
        this.streams = streams;
    }

    @Override
    public Health health() {
        KafkaStreams kafkaStreams = streams.getKafkaStreams();
        if (kafkaStreams == null) {
            return Health.down().withDetail("state", "NOT_STARTED").build();
        }
        KafkaStreams.State state = kafkaStreams.state();
        boolean up = state == KafkaStreams.State.CREATED || state == KafkaStreams.State.RUNNING
                || state == KafkaStreams.State.REBALANCING;
        return (up ? Health.up() : Health.down()).withDetail("state", state.name()).build();
    }
}
