package dev.kafkacoins.testsupport;

import dev.kafkacoins.kit.BrokerSettings;
import java.util.Locale;
import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Real infrastructure for tests. Each test class starts its own Kafka broker and PostgreSQL server: both start
 * in a few seconds, and the topic registry and schema fix the names, so servers of its own are how a class
 * stays isolated.
 */
public final class TestInfrastructure {

    /** Image tags for the container path; the embedded path runs the same versions from Maven artifacts. */
    static final String KAFKA_IMAGE = "apache/kafka:4.2.1";
    static final String POSTGRES_IMAGE = "postgres:17-alpine";

    private TestInfrastructure() {
    }

    /** A new single-node broker; close it when the test class is done. */
    public static KafkaBroker startKafka() {
        return startKafka(InfraMode.current());
    }

    /** A new PostgreSQL server; close it when the test class is done. */
    public static PostgresServer startPostgres() {
        return InfraMode.current() == InfraMode.CONTAINERS
                ? new ContainerPostgresServer(POSTGRES_IMAGE) : new EmbeddedPostgresServer();
    }

    private static KafkaBroker startKafka(InfraMode mode) {
        Map<String, String> settings = BrokerSettings.singleNode();
        if (mode == InfraMode.CONTAINERS) {
            KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
            settings.forEach((key, value) -> container.withEnv(
                    "KAFKA_" + key.toUpperCase(Locale.ROOT).replace('.', '_'), value));
            container.start();
            return new Running(container.getBootstrapServers(), "container", container::stop);
        }
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperties(Map.copyOf(settings));
        broker.afterPropertiesSet();
        return new Running(broker.getBrokersAsString(), "embedded", broker::destroy);
    }

    private record Running(String bootstrapServers, String kind, Runnable shutdown) implements KafkaBroker {
        @Override
        public void close() {
            shutdown.run();
        }
    }

}
