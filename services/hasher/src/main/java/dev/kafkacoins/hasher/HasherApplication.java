package dev.kafkacoins.hasher;

import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.service.LoopsHealth;
import dev.kafkacoins.service.ServiceDefaults;
import dev.kafkacoins.service.ServiceHealth;
import dev.kafkacoins.service.TopicSettings;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

/** The hasher service: {@code miner.blocks} in, hash reports and coins out, exactly once. */
@SpringBootApplication
@EnableConfigurationProperties({HasherProperties.class, TopicSettings.class})
public class HasherApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /** The application with its defaults; tests start it through here too. */
    public static SpringApplicationBuilder application() {
        return ServiceDefaults.application(HasherApplication.class, "hasher", 8082);
    }

    /** Liveness: one entry per hashing thread. */
    @Bean(ServiceHealth.LOOPS)
    LoopsHealth loops(HasherWorkers workers) {
        return new LoopsHealth(workers::loops);
    }

    @Bean
    KafkaAdmin.NewTopics hasherTopics(TopicSettings topics) {
        return topics.newTopics(Topics.BLOCKS, Topics.BLOCKS_DLQ, Topics.HASHES, Topics.COINS);
    }
}
