package dev.kafkacoins.hasher;

import dev.kafkacoins.kit.InstanceIds;
import dev.kafkacoins.protocol.ConsumerGroups;
import dev.kafkacoins.service.BackgroundLoop;
import dev.kafkacoins.service.ProcessExit;
import dev.kafkacoins.service.RecordTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Starts {@code hasher.threads} hashing threads when the application is ready and, on SIGTERM, lets each finish
 * its open transaction and leave the group before the process exits. Each thread is a {@link BackgroundLoop}:
 * it recovers by itself with new clients, or takes the process down.
 */
@Component
class HasherWorkers implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(HasherWorkers.class);

    private final HasherProperties settings;
    private final KafkaProperties kafka;
    private final MeterRegistry registry;
    private final ProcessExit processExit;
    private final RecordTracing tracing;
    private final String instanceId;
    private final List<HashingWorker> workers = new ArrayList<>();

    HasherWorkers(HasherProperties settings, KafkaProperties kafka, MeterRegistry registry, ProcessExit processExit,
                  RecordTracing tracing) {
        this.settings = settings;
        this.tracing = tracing;
        this.kafka = kafka;
        this.registry = registry;
        this.processExit = processExit;
        this.instanceId = InstanceIds.resolve(settings.instanceId());
    }

    @Override
    public synchronized void start() {
        for (int i = 0; i < settings.threads(); i++) {
            String hasherId = instanceId + "-t" + i;
            HashingWorker worker = new HashingWorker(hasherId, new Clients(hasherId),
                    new BlockHasher(hasherId, Clock.systemUTC()), new HasherMetrics(registry, hasherId), settings, tracing);
            worker.setProcessExit(processExit);
            workers.add(worker);
            worker.start();
        }
        LOG.info("hasher {} started {} thread(s)", instanceId, settings.threads());
    }

    @Override
    public synchronized void stop() {
        // All threads finish their transaction at the same time, then each is waited for.
        workers.forEach(HashingWorker::requestStop);
        workers.forEach(HashingWorker::stop);
        workers.clear();
    }

    @Override
    public synchronized boolean isRunning() {
        return !workers.isEmpty();
    }

    /** The hashing threads, for the liveness health. */
    synchronized List<HashingWorker> loops() {
        return List.copyOf(workers);
    }

    /**
     * Creates one thread's clients and binds each to the registry with Micrometer's {@link KafkaClientMetrics},
     * tagged {@code hasher}. A new life of the thread gets new clients: the old bindings are closed with the old
     * clients, or their meters would keep reading the closed clients' frozen metrics under the same names.
     */
    private final class Clients implements HashingWorker.Clients {
        private final String hasherId;
        private final List<KafkaClientMetrics> bound = new ArrayList<>();

        Clients(String hasherId) {
            this.hasherId = hasherId;
        }

        @Override
        public Consumer<byte[], byte[]> consumer() {
            Map<String, Object> props = new HashMap<>(kafka.buildConsumerProperties());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, ConsumerGroups.HASHER);
            // KIP-848: the broker assigns partitions and rebalances incrementally, so scaling the group does
            // not stop every member.
            props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, hasherId);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
            return bind(new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
        }

        @Override
        public Producer<byte[], byte[]> producer() {
            Map<String, Object> props = new HashMap<>(kafka.buildProducerProperties());
            props.put(ProducerConfig.CLIENT_ID_CONFIG, hasherId);
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, ConsumerGroups.HASHER_TRANSACTIONAL_ID_PREFIX + hasherId);
            props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) settings.transactionTimeout().toMillis());
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            return bind(new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer()));
        }

        @Override
        public void closed() {
            synchronized (bound) {
                bound.forEach(KafkaClientMetrics::close);
                bound.clear();
            }
        }

        private <C> C bind(C client) {
            KafkaClientMetrics metrics = switch (client) {
                case Consumer<?, ?> consumer -> new KafkaClientMetrics(consumer, Tags.of("hasher", hasherId));
                case Producer<?, ?> producer -> new KafkaClientMetrics(producer, Tags.of("hasher", hasherId));
                default -> throw new IllegalArgumentException(client.getClass().getName());
            };
            metrics.bindTo(registry);
            synchronized (bound) {
                bound.add(metrics);
            }
            return client;
        }
    }
}
