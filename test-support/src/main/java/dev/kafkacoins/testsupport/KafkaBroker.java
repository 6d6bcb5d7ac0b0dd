package dev.kafkacoins.testsupport;

/** A running, real Kafka broker that a test may use. */
public interface KafkaBroker extends AutoCloseable {

    String bootstrapServers();

    /** "embedded" or "container": printed by tests so a report says what they ran against. */
    String kind();

    /** Kills the broker (no controlled shutdown), keeping its data; see {@link RealKafka#restartable}. */
    default void stop() {
        throw new UnsupportedOperationException(kind() + " broker cannot be stopped and started again");
    }

    /** Starts a stopped broker again, same port, same log directory; returns once it answers. */
    default void start() {
        throw new UnsupportedOperationException(kind() + " broker cannot be stopped and started again");
    }

    /** Stops the broker and deletes its data. */
    @Override
    void close();
}
