package dev.kafkacoins.webui;

import dev.kafkacoins.protocol.ConsumerGroups;
import dev.kafkacoins.protocol.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The hasher group as the dashboard shows it: members, the {@code miner.blocks} partitions each owns, lag per
 * partition, and idle members (more members than partitions). Read through the Admin API, the way
 * {@code kafka-consumer-groups --describe --group hasher} does, and cached briefly so that many viewers do not
 * mean many Admin calls.
 */
@Component
class GroupView implements DisposableBean {

    static final Duration CACHE = Duration.ofSeconds(2);
    private static final long TIMEOUT_MS = 5_000;

    private final KafkaProperties kafka;
    private final Mono<ApiModel.Group> cached;
    private Admin admin;

    GroupView(KafkaProperties kafka) {
        this.kafka = kafka;
        this.cached = Mono.fromCallable(this::describe).subscribeOn(Schedulers.boundedElastic())
                .cache(group -> CACHE, error -> Duration.ZERO, () -> Duration.ZERO);
    }

    Mono<ApiModel.Group> group() {
        return cached;
    }

    /** Created on first use, so a dashboard nobody asks about the group never dials Kafka. */
    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(kafka.buildAdminProperties());
        }
        return admin;
    }

    private ApiModel.Group describe() throws Exception {
        Admin admin = admin();
        String topic = Topics.BLOCKS.name();
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, ListOffsetsResultInfo> end = admin.listOffsets(latest).all()
                .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(ConsumerGroups.HASHER)
                .partitionsToOffsetAndMetadata().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);

        List<ApiModel.PartitionLag> lag = new ArrayList<>();
        long total = 0;
        for (int p = 0; p < partitions; p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            OffsetAndMetadata c = committed.get(tp);
            long done = c == null ? 0 : c.offset();
            long behind = Math.max(0, end.get(tp).offset() - done);
            total += behind;
            lag.add(new ApiModel.PartitionLag(p, done, end.get(tp).offset(), behind));
        }
        StateAndMembers group = stateAndMembers(topic);
        return new ApiModel.Group(ConsumerGroups.HASHER, group.state(), partitions, total, group.members(), lag,
                Instant.now());
    }

    private record StateAndMembers(String state, List<ApiModel.Member> members) {
    }

    private StateAndMembers stateAndMembers(String topic) throws Exception {
        try {
            ConsumerGroupDescription group = admin().describeConsumerGroups(List.of(ConsumerGroups.HASHER)).all()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS).get(ConsumerGroups.HASHER);
            List<ApiModel.Member> members = group.members().stream().map(m -> member(m, topic))
                    .sorted(Comparator.comparing(ApiModel.Member::clientId)).toList();
            return new StateAndMembers(group.groupState().toString(), members);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return new StateAndMembers("NONE", List.of());
            }
            throw e;
        }
    }

    private static ApiModel.Member member(MemberDescription m, String topic) {
        List<Integer> owned = m.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(topic))
                .map(TopicPartition::partition).sorted().toList();
        return new ApiModel.Member(m.consumerId(), m.clientId(), m.host(), owned, owned.isEmpty());
    }

    @Override
    public synchronized void destroy() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
