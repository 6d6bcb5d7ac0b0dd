package dev.kafkacoins.rng;

import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.service.ServiceDefaults;
import dev.kafkacoins.service.TopicSettings;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

/** The rng service: publishes random work blocks to {@code miner.blocks}. */
@SpringBootApplication
@EnableConfigurationProperties({RngProperties.class, TopicSettings.class})
public class RngApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /** The application with its defaults; tests start it through here too. */
    public static SpringApplicationBuilder application() {
        return ServiceDefaults.application(RngApplication.class, "rng", 8081);
    }

    @Bean
    KafkaAdmin.NewTopics rngTopics(TopicSettings topics) {
        return topics.newTopics(Topics.BLOCKS);
    }
}
