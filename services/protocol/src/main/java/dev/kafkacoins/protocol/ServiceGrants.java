package dev.kafkacoins.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What each service does on Kafka, spelled with the code's own topic registry, group ids and transactional-id
 * prefixes: the ACLs its KafkaUser must grant, no fewer and no more. Renaming a topic or a group in the code
 * changes these, and the manifests then fail the build until they follow.
 * <p>
 * One source for both places that enforce them: the build checks that strimzi/base's KafkaUsers grant exactly these,
 * and the local stack's broker gets exactly these as ACLs ({@link #aclBindings}), so a missing grant fails on a
 * laptop first.
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

    /**
     * The broker's ACLs for a user's grants, as Strimzi's User Operator creates them from a KafkaUser's simple
     * authorization: one allow binding per operation, on any host. Strimzi spells resource types and operations in
     * camel case (transactionalId, DescribeConfigs); Kafka's enums in upper snake case.
     */
    public static List<AclBinding> aclBindings(String user, Collection<Grant> grants) {
        List<AclBinding> bindings = new ArrayList<>();
        for (Grant grant : grants) {
            ResourcePattern pattern = new ResourcePattern(constant(ResourceType.values(), grant.type()), grant.name(),
                    "prefix".equals(grant.patternType()) ? PatternType.PREFIXED : PatternType.LITERAL);
            for (String operation : grant.operations()) {
                bindings.add(new AclBinding(pattern, new AccessControlEntry("User:" + user, "*",
                        constant(AclOperation.values(), operation), AclPermissionType.ALLOW)));
            }
        }
        return bindings;
    }

    /** The enum constant whose name, without underscores, is {@code camel} in any case. */
    private static <E extends Enum<E>> E constant(E[] values, String camel) {
        return Arrays.stream(values).filter(v -> v.name().replace("_", "").equalsIgnoreCase(camel)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + values[0].getDeclaringClass().getSimpleName()
                        + " named " + camel));
    }

    /** The prefix every registry topic shares (the cli user reads them all by it). */
    public static String topicPrefix() {
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
