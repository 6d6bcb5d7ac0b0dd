package dev.kafkacoins.hasher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkacoins.protocol.Block;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.service.RecordTracing;
import dev.kafkacoins.service.BackgroundLoop;
import dev.kafkacoins.testsupport.TestBlocks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A hashing thread whose recovery steps throw themselves, as they do after the broker was away longer than the
 * clients' timeouts: the commit times out, the abort then refuses (IllegalStateException), and the next producer's
 * initTransactions times out too. The thread must start over with new clients each time and get the block
 * committed, not end while the process stays up. (Mock clients: this is the loop's logic, no broker involved.)
 */
@Timeout(60)
class HashingWorkerTest {

    private static final TopicPartition BLOCKS_0 = new TopicPartition(Topics.BLOCKS.name(), 0);

    private final List<MockProducer<byte[], byte[]>> producers = new CopyOnWriteArrayList<>();
    private final List<MockConsumer<byte[], byte[]>> consumers = new CopyOnWriteArrayList<>();
    private final List<String> exits = new CopyOnWriteArrayList<>();
    private final Block block = TestBlocks.random("mock", 1, 256, 8, 1).getFirst();
    private HashingWorker worker;

    @AfterEach
    void stop() {
        worker.stop();
    }

    @Test
    void everyRecoveryStepThatThrowsLeadsToNewClientsAndTheBlockIsCommittedOnce() {
        // Given a first producer whose commit times out and whose abort then throws, and a second one whose
        // initTransactions times out
        worker = new HashingWorker("mock-t0", new HashingWorker.Clients() {
            @Override
            public Consumer<byte[], byte[]> consumer() {
                MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
                consumer.updateBeginningOffsets(Map.of(BLOCKS_0, 0L));
                consumer.schedulePollTask(() -> {
                    consumer.rebalance(List.of(BLOCKS_0));
                    // Stamped as a producer stamps it: the hasher checks the block's times against it.
                    consumer.addRecord(new ConsumerRecord<>(BLOCKS_0.topic(), 0, 0, block.createdAt(),
                            TimestampType.CREATE_TIME, -1, -1, block.id().getBytes(),
                            Topics.BLOCKS.valueSerde().serializer().serialize(BLOCKS_0.topic(), block),
                            new RecordHeaders(), Optional.empty()));
                });
                consumers.add(consumer);
                return consumer;
            }

            @Override
            public Producer<byte[], byte[]> producer() {
                MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                        new ByteArraySerializer());
                if (producers.isEmpty()) {
                    producer.commitTransactionException = new TimeoutException(
                            "Timeout expired after 5000ms while awaiting EndTxn(true)");
                    producer.abortTransactionException = new IllegalStateException("Cannot attempt operation "
                            + "`abortTransaction` because the previous call to `commitTransaction` timed out and "
                            + "must be retried");
                } else if (producers.size() == 1) {
                    producer.initTransactionException = new TimeoutException(
                            "Timeout expired after 5000ms while awaiting InitProducerId");
                }
                producers.add(producer);
                return producer;
            }
        }, new BlockHasher("mock-t0", Clock.systemUTC()), new HasherMetrics(new SimpleMeterRegistry(), "mock-t0"),
                new HasherProperties("mock", 1, Duration.ofMillis(200), Duration.ofSeconds(10), 500,
                        Duration.ofMillis(50)), RecordTracing.OFF);
        worker.setProcessExit((who, cause) -> exits.add(who + ": " + cause));

        // When the thread runs
        worker.start();

        // Then a third producer commits the block's report with its offset, once, and the thread is working
        await().atMost(Duration.ofSeconds(30)).until(() -> producers.size() == 3 && producers.get(2).commitCount() == 1);
        MockProducer<byte[], byte[]> third = producers.get(2);
        assertThat(third.history()).filteredOn(r -> r.topic().equals(Topics.HASHES.name())).hasSize(1);
        assertThat(third.consumerGroupOffsetsHistory()).singleElement()
                .satisfies(offsets -> assertThat(offsets.values().iterator().next().get(BLOCKS_0).offset()).isOne());
        assertThat(producers.get(0).transactionCommitted()).isFalse();
        assertThat(producers.get(0).closed()).isTrue();
        assertThat(consumers.subList(0, 2)).allMatch(MockConsumer::closed);
        assertThat(worker.status().state()).isEqualTo(BackgroundLoop.State.RUNNING);
        assertThat(exits).isEmpty();
    }
}
