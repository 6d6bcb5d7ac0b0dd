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
    private final boolean restartable;
    private KafkaBroker broker;
    private KafkaProbe probe;

    public RealKafka(Topic<?, ?>... topics) {
        this(false, topics);
    }

    private RealKafka(boolean restartable, Topic<?, ?>... topics) {
        this.restartable = restartable;
        this.topics = topics;
    }

    /**
     * A broker that {@link #stopBroker()} kills and {@link #startBroker()} starts again on the same port and log
     * directory, for tests of a broker outage. It runs in a JVM of its own whatever the infrastructure mode.
     */
    public static RealKafka restartable(Topic<?, ?>... topics) {
        return new RealKafka(true, topics);
    }

    /** Kills the broker (SIGKILL); clients see connections refused until {@link #startBroker()}. */
    public void stopBroker() {
        broker.stop();
    }

    /** Starts the killed broker again; returns once it answers. */
    public void startBroker() {
        broker.start();
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
        broker = restartable ? new BrokerProcess() : TestInfrastructure.startKafka();
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
