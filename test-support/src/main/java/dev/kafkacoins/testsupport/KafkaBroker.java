package dev.kafkacoins.testsupport;

/** A running, real Kafka broker that a test may use. */
public interface KafkaBroker extends AutoCloseable {

    String bootstrapServers();

    /** "embedded" or "container": printed by tests so a report says what they ran against. */
    String kind();

    /** Stops the broker and deletes its data. */
    @Override
    void close();
}
