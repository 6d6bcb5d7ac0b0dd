package dev.kafkacoins.webui;

import dev.kafkacoins.kit.GroupLag;
import dev.kafkacoins.protocol.ConsumerGroups;
import dev.kafkacoins.protocol.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
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
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final KafkaProperties kafka;
    private final MeterRegistry registry;
    private final Mono<ApiModel.Group> cached;
    private Admin admin;
    private KafkaClientMetrics adminMetrics;

    GroupView(KafkaProperties kafka, MeterRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
        this.cached = Mono.fromCallable(this::describe).subscribeOn(Schedulers.boundedElastic())
                .cache(group -> CACHE, error -> Duration.ZERO, () -> Duration.ZERO);
    }

    Mono<ApiModel.Group> group() {
        return cached;
    }

    /** Created on first use (the lag metrics' first refresh, right after startup). */
    private synchronized Admin admin() {
        if (admin == null) {
            AdminClient client = AdminClient.create(kafka.buildAdminProperties());
            adminMetrics = new KafkaClientMetrics(client);
            admin = client;
            adminMetrics.bindTo(registry);
        }
        return admin;
    }

    private ApiModel.Group describe() throws Exception {
        String topic = Topics.BLOCKS.name();
        List<ApiModel.PartitionLag> lag = GroupLag.read(admin(), ConsumerGroups.HASHER, topic, TIMEOUT).stream()
                .map(p -> new ApiModel.PartitionLag(p.partition(), p.position(), p.end(), p.lag())).toList();
        long total = lag.stream().mapToLong(ApiModel.PartitionLag::lag).sum();
        StateAndMembers group = stateAndMembers(topic);
        return new ApiModel.Group(ConsumerGroups.HASHER, group.state(), lag.size(), total, group.members(), lag,
                Instant.now());
    }

    private record StateAndMembers(String state, List<ApiModel.Member> members) {
    }

    private StateAndMembers stateAndMembers(String topic) throws Exception {
        try {
            ConsumerGroupDescription group = admin().describeConsumerGroups(List.of(ConsumerGroups.HASHER)).all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(ConsumerGroups.HASHER);
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
            adminMetrics.close();
            admin.close(Duration.ofSeconds(2));
        }
    }
}
