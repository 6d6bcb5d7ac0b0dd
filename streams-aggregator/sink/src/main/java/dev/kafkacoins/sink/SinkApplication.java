package dev.kafkacoins.sink;

import dev.kafkacoins.protocol.Schema;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.service.ServiceDefaults;
import dev.kafkacoins.service.TopicSettings;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The PostgreSQL sink: rates, totals and coins from Kafka into the tables the dashboard reads. It runs as a
 * process of its own so that it can fail, and be killed, apart from the aggregator.
 */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties({SinkProperties.class, TopicSettings.class})
public class SinkApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    public static SpringApplicationBuilder application() {
        return ServiceDefaults.application(SinkApplication.class, "pg-sink", 8084).properties(Map.ofEntries(
                Map.entry("spring.datasource.url", Schema.DEFAULT_JDBC_URL),
                // The schema belongs to db-migrations, which runs before the sink (a step or a Job).
                Map.entry("spring.flyway.enabled", false),
                // Start even when PostgreSQL is away: the sink retries, it does not crash-loop.
                Map.entry("spring.datasource.hikari.initialization-fail-timeout", -1),
                Map.entry("spring.datasource.hikari.connection-timeout", 3000),
                // Nothing waits forever: the server cancels a statement after 10 s (a lock held elsewhere, a
                // stalled disk), and a connection whose peer vanished without a FIN is dropped after 30 s. Either
                // fails the batch, which the sink retries with back-off, DEGRADED meanwhile.
                Map.entry("spring.datasource.hikari.data-source-properties.options", "-c statement_timeout=10000"),
                Map.entry("spring.datasource.hikari.data-source-properties.socketTimeout", 30),
                Map.entry("management.endpoint.health.status.order", "down,out-of-service,degraded,up,unknown"),
                // SinkHealth reports the database as the sink sees it (DEGRADED, not DOWN, while it is away).
                Map.entry("management.health.db.enabled", false),
                // Degraded is not a reason to restart: it catches up by itself. It is not ready, though.
                Map.entry("management.endpoint.health.status.http-mapping.degraded", 200),
                Map.entry("management.endpoint.health.group.readiness.status.order", "down,out-of-service,degraded,up,unknown"),
                Map.entry("management.endpoint.health.group.readiness.status.http-mapping.degraded", 503)));
    }

    @Bean
    KafkaAdmin.NewTopics sinkTopics(TopicSettings topics) {
        return topics.newTopics(Topics.RATES, Topics.TOTALS, Topics.COINS, Topics.SINK_DLQ);
    }

    @Bean
    SinkState sinkState() {
        return new SinkState();
    }
}
