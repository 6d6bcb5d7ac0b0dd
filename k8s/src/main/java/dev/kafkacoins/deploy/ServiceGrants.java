package dev.kafkacoins.deploy;

import dev.kafkacoins.protocol.ConsumerGroups;
import dev.kafkacoins.protocol.Topic;
import dev.kafkacoins.protocol.Topics;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What each service does on Kafka, spelled with the code's own topic registry, group ids and transactional-id
 * prefixes: the ACLs its KafkaUser must grant, no fewer and no more. Renaming a topic or a group in the code
 * changes these, and the manifests then fail the build until they follow.
 */
public final class ServiceGrants {

    /** One ACL rule: a resource (type, name, literal or prefix) and the operations allowed on it. */
    public record Grant(String type, String name, String patternType, Set<String> operations) {

        public Grant {
            operations = new TreeSet<>(operations.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList());
        }

        @Override
        public String toString() {
            return type + " " + name + ("prefix".equals(patternType) ? "* " : " ") + operations;
        }
    }

    private static final Set<String> PRODUCE = Set.of("Write", "Describe");
    private static final Set<String> CONSUME = Set.of("Read", "Describe");

    /** KafkaUser name → its grants. */
    public static final Map<String, List<Grant>> BY_USER = Map.of(
            "rng", List.of(
                    topic(Topics.BLOCKS, PRODUCE),
                    // auto mode reads the hasher group's lag
                    group(ConsumerGroups.HASHER, Set.of("Describe"))),
            "hasher", List.of(
                    topic(Topics.BLOCKS, CONSUME),
                    group(ConsumerGroups.HASHER, CONSUME),
                    topic(Topics.HASHES, PRODUCE),
                    topic(Topics.COINS, PRODUCE),
                    topic(Topics.BLOCKS_DLQ, PRODUCE),
                    new Grant("transactionalId", ConsumerGroups.HASHER_TRANSACTIONAL_ID_PREFIX, "prefix", PRODUCE)),
            "aggregator", List.of(
                    topic(Topics.HASHES, CONSUME),
                    topic(Topics.RATES, PRODUCE),
                    topic(Topics.TOTALS, PRODUCE),
                    topic(Topics.HASHES_DLQ, PRODUCE),
                    group(ConsumerGroups.AGGREGATOR, CONSUME),
                    // Kafka Streams derives its transactional ids and internal topics from the application id.
                    new Grant("transactionalId", ConsumerGroups.AGGREGATOR + "-", "prefix", PRODUCE),
                    new Grant("topic", ConsumerGroups.AGGREGATOR + "-", "prefix",
                            Set.of("Create", "Read", "Write", "Describe", "DescribeConfigs"))),
            "sink", List.of(
                    topic(Topics.RATES, CONSUME),
                    topic(Topics.TOTALS, CONSUME),
                    topic(Topics.COINS, CONSUME),
                    group(ConsumerGroups.SINK, CONSUME),
                    topic(Topics.SINK_DLQ, PRODUCE)),
            "webui", List.of(
                    topic(Topics.BLOCKS, Set.of("Describe")),
                    group(ConsumerGroups.HASHER, Set.of("Describe"))),
            // KEDA's Kafka scaler reads the hashers' lag (k8s/components/keda).
            "keda", List.of(
                    topic(Topics.BLOCKS, Set.of("Describe")),
                    group(ConsumerGroups.HASHER, Set.of("Describe"))),
            "cli", List.of(
                    new Grant("topic", topicPrefix(), "prefix", Set.of("Read", "Describe", "DescribeConfigs")),
                    new Grant("group", "*", "literal", Set.of("Describe")),
                    new Grant("group", "cli-", "prefix", Set.of("Read"))));

    private ServiceGrants() {
    }

    /** The prefix every registry topic shares (the cli user reads them all by it). */
    static String topicPrefix() {
        String first = Topics.ALL.getFirst().name();
        String prefix = first.substring(0, first.indexOf('.') + 1);
        if (Topics.ALL.stream().map(Topic::name).anyMatch(n -> !n.startsWith(prefix))) {
            throw new IllegalStateException("registry topics no longer share the prefix " + prefix);
        }
        return prefix;
    }

    private static Grant topic(Topic<?, ?> topic, Set<String> operations) {
        return new Grant("topic", topic.name(), "literal", operations);
    }

    private static Grant group(String group, Set<String> operations) {
        return new Grant("group", group, "literal", operations);
    }
}
