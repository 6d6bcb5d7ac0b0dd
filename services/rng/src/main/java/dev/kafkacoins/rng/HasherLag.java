package dev.kafkacoins.rng;

import dev.kafkacoins.protocol.ConsumerGroups;
import dev.kafkacoins.protocol.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The hasher group's total lag on {@code miner.blocks}, read through the Admin API the way
 * {@code kafka-consumer-groups --describe --group hasher} computes it. A partition the group has not committed
 * yet counts from its earliest offset, where a new member will start.
 */
final class HasherLag implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Admin admin;

    HasherLag(Admin admin) {
        this.admin = admin;
    }

    long total() {
        try {
            // Committed offsets first, end offsets second: the lag can only be over-estimated, never under.
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(ConsumerGroups.HASHER)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            int partitions = admin.describeTopics(List.of(Topics.BLOCKS.name())).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(Topics.BLOCKS.name()).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                TopicPartition tp = new TopicPartition(Topics.BLOCKS.name(), p);
                latest.put(tp, OffsetSpec.latest());
                if (committed.get(tp) == null) {
                    earliest.put(tp, OffsetSpec.earliest());
                }
            }
            Map<TopicPartition, ListOffsetsResultInfo> end = listOffsets(latest);
            Map<TopicPartition, ListOffsetsResultInfo> start = earliest.isEmpty() ? Map.of() : listOffsets(earliest);
            long lag = 0;
            for (Map.Entry<TopicPartition, ListOffsetsResultInfo> e : end.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                long from = c != null ? c.offset() : start.get(e.getKey()).offset();
                lag += Math.max(0, e.getValue().offset() - from);
            }
            return lag;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the lag of group '" + ConsumerGroups.HASHER + "': " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading lag", e);
        }
    }

    private Map<TopicPartition, ListOffsetsResultInfo> listOffsets(Map<TopicPartition, OffsetSpec> request)
            throws ExecutionException, InterruptedException, TimeoutException {
        return admin.listOffsets(request).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
