package dev.kafkacoins.rng;

import dev.kafkacoins.kit.InstanceIds;
import dev.kafkacoins.protocol.Block;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.service.BackgroundLoop;
import dev.kafkacoins.service.RecordTracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.tracing.Span;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Publishes blocks to {@code miner.blocks} on its own thread, as fast as its {@link Pacer} allows, with an
 * idempotent producer (acks=all, so a retried send never duplicates a block).
 *
 * <p>While the broker is away, sends time out and are counted, and the loop goes on: the producer reconnects by
 * itself. A send error that is not retriable means the producer itself is unusable (or not allowed to write): the
 * loop then ends and {@link BackgroundLoop} starts it again with a new producer, or ends the process.
 */
@Component
class BlockPublisher extends BackgroundLoop {

    private static final Logger LOG = LoggerFactory.getLogger(BlockPublisher.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final RngProperties settings;
    private final KafkaProperties kafka;
    private final MeterRegistry registry;
    private final RecordTracing tracing;
    private final Counter blocks;
    private final Counter nonces;
    private final Counter sendErrors;
    private final String instanceId;
    /** One for the process: block ids stay unique when the loop starts over with a new producer. */
    private final BlockFactory factory;
    private final AtomicLong lastLag = new AtomicLong(-1);
    private final AtomicLong acknowledged = new AtomicLong();
    /** The first send error this producer cannot get past; the loop rethrows it. */
    private final AtomicReference<Exception> unusable = new AtomicReference<>();

    BlockPublisher(RngProperties settings, KafkaProperties kafka, MeterRegistry registry, RecordTracing tracing) {
        super("rng-publisher", Duration.ofSeconds(30));
        this.settings = settings;
        this.kafka = kafka;
        this.registry = registry;
        this.tracing = tracing;
        this.instanceId = InstanceIds.resolve(settings.instanceId());
        this.factory = new BlockFactory(instanceId, settings.nonces(), settings.difficulty());
        this.blocks = Counter.builder("kafkacoins.rng.blocks").description("blocks published").register(registry);
        this.nonces = Counter.builder("kafkacoins.rng.nonces").description("nonces in blocks published")
                .register(registry);
        this.sendErrors = Counter.builder("kafkacoins.rng.send.errors").description("blocks the broker did not take")
                .register(registry);
        registry.gauge("kafkacoins.rng.hasher.lag", lastLag, AtomicLong::get);
    }

    @Override
    protected void loop() throws Exception {
        unusable.set(null);
        long seen = acknowledged.get();
        KafkaProducer<String, Block> producer = newProducer(instanceId);
        // Bound for this producer's life only: a new life's producer gets meters of its own.
        KafkaClientMetrics producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(registry);
        try (HasherLag lag = new HasherLag(Admin.create(kafka.buildAdminProperties()))) {
            Pacer pacer = switch (settings.mode()) {
                case RATE -> new RatePacer(settings.rate());
                case AUTO -> new LagPacer(settings.maxLag(), settings.lagCheckInterval().toNanos(), () -> {
                    producer.flush();
                    lastLag.set(lag.total());
                    return lastLag.get();
                });
            };
            LOG.info("rng {} publishing {} nonces/block at difficulty {} in {} mode ({})", instanceId,
                    settings.nonces(), settings.difficulty(), settings.mode().name().toLowerCase(),
                    settings.mode() == RngProperties.Mode.RATE ? settings.rate() + " blocks/s"
                            : "hasher lag <= " + settings.maxLag());
            while (running()) {
                Exception failed = unusable.get();
                if (failed != null) {
                    throw failed;
                }
                if (acknowledged.get() != seen) {
                    seen = acknowledged.get();
                    madeProgress();
                }
                long permits = permitsOrWait(pacer);
                for (long i = 0; i < permits && running(); i++) {
                    send(producer, factory.next(System.currentTimeMillis()));
                    pacer.sent(1);
                }
                if (permits == 0) {
                    LockSupport.parkNanos(IDLE_PARK_NANOS);
                }
            }
        } finally {
            // Bounded: with the broker away, close() would wait for every buffered block to time out.
            producerMetrics.close();
            producer.close(CLOSE_TIMEOUT);
        }
    }

    /** The pacer's permits; a failed lag read (broker away) is logged and retried, not fatal. */
    private long permitsOrWait(Pacer pacer) {
        try {
            return pacer.permits(System.nanoTime());
        } catch (IllegalStateException e) {
            LOG.warn("{}; retrying", e.getMessage());
            LockSupport.parkNanos(settings.lagCheckInterval().toNanos());
            return 0;
        }
    }

    /** Each block starts a trace (when sampled), which the hasher, the aggregator and the sink continue. */
    private void send(KafkaProducer<String, Block> producer, Block block) {
        Span span = tracing.startTrace("publish block").tag("block", block.id());
        ProducerRecord<String, Block> record = new ProducerRecord<>(Topics.BLOCKS.name(), block.id(), block);
        tracing.inject(span, record.headers());
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                span.error(error);
            } else {
                span.tag("partition", metadata.partition()).tag("offset", metadata.offset());
            }
            span.end();
            if (error == null) {
                acknowledged.incrementAndGet();
                blocks.increment();
                nonces.increment(block.nonces());
            } else {
                sendErrors.increment();
                LOG.warn("block {} not published: {}", block.id(), error.toString());
                if (!(error instanceof RetriableException)) {
                    unusable.compareAndSet(null, error);
                }
            }
        });
    }

    private KafkaProducer<String, Block> newProducer(String instanceId) {
        Map<String, Object> props = new HashMap<>(kafka.buildProducerProperties());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "rng-" + instanceId);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(props, Topics.BLOCKS.keySerde().serializer(), Topics.BLOCKS.valueSerde().serializer());
    }
}
