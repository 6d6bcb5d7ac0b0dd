package dev.kafkacoins.aggregator;

import dev.kafkacoins.kit.InstanceIds;
import dev.kafkacoins.protocol.ConsumerGroups;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.service.RecordTracing;
import dev.kafkacoins.service.ProcessExit;
import dev.kafkacoins.service.ServiceDefaults;
import dev.kafkacoins.service.TopicSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.core.KafkaAdmin;

/** The aggregator: a Kafka Streams application, exactly-once v2, running {@link HashRateTopology}. */
@SpringBootApplication
@EnableKafkaStreams
@EnableConfigurationProperties({AggregatorProperties.class, TopicSettings.class})
public class AggregatorApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    public static SpringApplicationBuilder application() {
        return ServiceDefaults.application(AggregatorApplication.class, "aggregator", 8083).properties(Map.of(
                "spring.kafka.streams.application-id", ConsumerGroups.AGGREGATOR,
                "spring.kafka.streams.properties.processing.guarantee", StreamsConfig.EXACTLY_ONCE_V2,
                "spring.kafka.streams.properties." + StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG,
                BoundedRocksDbMemory.class.getName()));
    }

    @Bean
    KafkaAdmin.NewTopics aggregatorTopics(TopicSettings topics) {
        return topics.newTopics(Topics.HASHES, Topics.HASHES_DLQ, Topics.RATES, Topics.TOTALS);
    }

    @Bean
    StreamsBuilderFactoryBeanConfigurer hashRateTopology(AggregatorProperties settings, MeterRegistry registry,
                                                         StreamsLifecycle lifecycle, RecordTracing tracing) {
        Counter deadLetters = Counter.builder("kafkacoins.aggregator.dead.letters")
                .description("records of miner.hashes sent to miner.hashes.dlq").register(registry);
        Counter clamped = Counter.builder("kafkacoins.aggregator.event.time.clamped")
                .description("reports whose hashedAt was ahead of the aggregator's clock by more than the window grace,"
                        + " counted at the aggregator's clock instead").register(registry);
        return factory -> {
            factory.setInfrastructureCustomizer(new KafkaStreamsInfrastructureCustomizer() {
                @Override
                public void configureBuilder(StreamsBuilder builder) {
                    HashRateTopology.build(builder, settings.windowGrace(), deadLetters, clamped, tracing);
                }
            });
            // Several aggregators on one machine must not share a state directory (each locks it).
            factory.getStreamsConfiguration().putIfAbsent(StreamsConfig.STATE_DIR_CONFIG,
                    Path.of(System.getProperty("java.io.tmpdir"), "kafkacoins-aggregator-"
                            + InstanceIds.resolve(settings.instanceId())).toString());
            // Replace a failed stream thread, or end the process: see StreamsLifecycle.
            factory.setStreamsUncaughtExceptionHandler(lifecycle);
            factory.setStateListener(lifecycle);
        };
    }

    @Bean
    StreamsLifecycle streamsLifecycle(ProcessExit processExit) {
        return new StreamsLifecycle(processExit);
    }
}
