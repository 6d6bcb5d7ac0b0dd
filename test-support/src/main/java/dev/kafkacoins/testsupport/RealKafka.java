package dev.kafkacoins.testsupport;

import dev.kafkacoins.protocol.Topic;

/**
 * A real Kafka broker with the given topics created, for a test class (static field) or for each test method
 * (instance field).
 *
 * <pre>
 *   &#64;RegisterExtension
 *   static final RealKafka KAFKA = new RealKafka(Topics.BLOCKS, Topics.HASHES);
 * </pre>
 */
public final class RealKafka extends ServerExtension {

    private final Topic<?, ?>[] topics;
    private KafkaBroker broker;
    private KafkaProbe probe;

    public RealKafka(Topic<?, ?>... topics) {
        this.topics = topics;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String kind() {
        return broker.kind();
    }

    public KafkaProbe probe() {
        return probe;
    }

    @Override
    protected void startServer() {
        broker = TestInfrastructure.startKafka();
        probe = new KafkaProbe(broker.bootstrapServers());
        if (topics.length > 0) {
            probe.createTopics(topics);
        }
    }

    @Override
    protected void stopServer() {
        broker.close();
        broker = null;
    }
}
