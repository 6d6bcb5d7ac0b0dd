package dev.kafkacoins.kit;

import java.time.Duration;
import java.util.ArrayList;
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
 * A consumer group's lag per partition of one topic, read through the Admin API the way
 * {@code kafka-consumer-groups --describe} computes it. rng paces itself on the total; the dashboard shows the
 * partitions. A partition the group has not committed yet counts from its earliest offset, where a new member
 * will start. Committed offsets are read before end offsets, so the lag can be over-estimated, never under.
 */
public final class GroupLag {

    /** @param position the committed offset, or the earliest offset where nothing is committed yet */
    public record Partition(int partition, long position, long end, long lag) {
    }

    private GroupLag() {
    }

    public static List<Partition> read(Admin admin, String group, String topic, Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        long ms = timeout.toMillis();
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(ms, TimeUnit.MILLISECONDS);
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(ms, TimeUnit.MILLISECONDS)
                .get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            latest.put(tp, OffsetSpec.latest());
            if (committed.get(tp) == null) {
                earliest.put(tp, OffsetSpec.earliest());
            }
        }
        Map<TopicPartition, ListOffsetsResultInfo> end = admin.listOffsets(latest).all().get(ms, TimeUnit.MILLISECONDS);
        Map<TopicPartition, ListOffsetsResultInfo> start = earliest.isEmpty() ? Map.of()
                : admin.listOffsets(earliest).all().get(ms, TimeUnit.MILLISECONDS);
        List<Partition> lag = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            OffsetAndMetadata c = committed.get(tp);
            long position = c != null ? c.offset() : start.get(tp).offset();
            long last = end.get(tp).offset();
            lag.add(new Partition(p, position, last, Math.max(0, last - position)));
        }
        return lag;
    }
}
