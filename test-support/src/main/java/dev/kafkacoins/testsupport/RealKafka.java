package dev.kafkacoins.testsupport;

import dev.kafkacoins.protocol.Topic;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real broker for a test class, with the given topics created. Registered on a static field it serves the
 * whole class; on an instance field every test method gets a fresh one.
 *
 * <pre>
 *   &#64;RegisterExtension
 *   static final RealKafka KAFKA = new RealKafka(Topics.BLOCKS, Topics.HASHES);
 * </pre>
 */
public final class RealKafka implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final Topic<?, ?>[] topics;
    private KafkaBroker broker;
    private KafkaProbe probe;
    private boolean perMethod;

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
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (broker == null) {
            perMethod = true;
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perMethod) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    private void start() {
        broker = TestInfrastructure.startKafka();
        probe = new KafkaProbe(broker.bootstrapServers());
        if (topics.length > 0) {
            probe.createTopics(topics);
        }
    }

    private void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
