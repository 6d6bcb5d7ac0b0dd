package dev.kafkacoins.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkacoins.protocol.ConsumerGroups;
import dev.kafkacoins.protocol.ServiceGrants;
import dev.kafkacoins.protocol.ServiceGrants.Grant;
import dev.kafkacoins.protocol.Topic;
import dev.kafkacoins.protocol.Topics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Cross-reference checks over one rendered deployment (an overlay): each returns the problems it finds, one
 * line each, naming the resource; an empty list means the check holds.
 */
public final class StrimziChecks {

    static final String CLUSTER_LABEL = "strimzi.io/cluster";

    private StrimziChecks() {
    }

    /** Exactly one Kafka, and every other Strimzi resource labelled with its name (or the operator ignores it). */
    public static List<String> clusterLabels(List<JsonNode> documents) {
        List<String> kafkas = Workloads.ofKind(documents, "Kafka").stream()
                .map(d -> d.path("metadata").path("name").asText()).toList();
        if (kafkas.size() != 1) {
            return List.of("expected exactly one Kafka, found " + kafkas);
        }
        List<String> problems = new ArrayList<>();
        for (JsonNode document : documents) {
            if (!StrimziModel.isStrimzi(document) || document.path("kind").asText().equals("Kafka")) {
                continue;
            }
            String label = document.path("metadata").path("labels").path(CLUSTER_LABEL).asText(null);
            if (!kafkas.getFirst().equals(label)) {
                problems.add(Manifests.name(document) + ": label " + CLUSTER_LABEL + "=" + label
                        + " does not name the Kafka " + kafkas.getFirst());
            }
        }
        return problems;
    }

    /** One KafkaTopic per registry topic, with its partitions and cleanup policy, and no other. */
    public static List<String> topics(List<JsonNode> documents) {
        Map<String, JsonNode> declared = new LinkedHashMap<>();
        for (JsonNode document : documents) {
            if (document.path("kind").asText().equals("KafkaTopic")) {
                String name = document.path("spec").path("topicName")
                        .asText(document.path("metadata").path("name").asText());
                declared.put(name, document);
            }
        }
        List<String> problems = new ArrayList<>();
        for (Topic<?, ?> topic : Topics.ALL) {
            JsonNode document = declared.remove(topic.name());
            if (document == null) {
                problems.add("KafkaTopic " + topic.name() + " is missing (it is in the topic registry)");
                continue;
            }
            int partitions = document.path("spec").path("partitions").asInt(-1);
            if (partitions != topic.partitions()) {
                problems.add("KafkaTopic " + topic.name() + ": partitions " + partitions + ", the registry says "
                        + topic.partitions());
            }
            String policy = document.path("spec").path("config").path("cleanup.policy").asText("delete");
            if (!policy.equals(topic.cleanupPolicy())) {
                problems.add("KafkaTopic " + topic.name() + ": cleanup.policy " + policy + ", the registry says "
                        + topic.cleanupPolicy());
            }
        }
        declared.keySet().forEach(name -> problems.add("KafkaTopic " + name + " is not in the topic registry"));
        return problems;
    }

    /**
     * The Kafka Exporter is on and exports exactly the project's topics (the registry) and the groups its services
     * consume in (their Read grants in ServiceGrants): every one of them matches, and no name beside them that a
     * cluster also has, Kafka's internal topics, the aggregator's own topics, a name that merely contains a
     * project's, the CLI's groups. kafka_exporter matches anywhere in the name (Go's MatchString), as
     * {@link java.util.regex.Matcher#find} does; for the syntax these regexes need (literals, escapes,
     * alternation, anchors) Go's RE2 and Java agree.
     */
    public static List<String> kafkaExporter(List<JsonNode> documents) {
        List<JsonNode> kafkas = Workloads.ofKind(documents, "Kafka");
        if (kafkas.size() != 1) {
            return List.of("expected exactly one Kafka, found " + kafkas.size());
        }
        JsonNode kafka = kafkas.getFirst();
        JsonNode exporter = kafka.at("/spec/kafkaExporter");
        if (!exporter.isObject()) {
            return List.of(Manifests.name(kafka) + " has no kafkaExporter: no group lag reaches Prometheus");
        }
        List<String> topics = Topics.ALL.stream().map(Topic::name).toList();
        List<String> otherTopics = new ArrayList<>(List.of("__consumer_offsets", "__transaction_state",
                "__strimzi_canary", ConsumerGroups.AGGREGATOR + "-rate-windows-changelog",
                ConsumerGroups.AGGREGATOR + "-KSTREAM-REPARTITION-0000000003-repartition"));
        topics.forEach(t -> otherTopics.addAll(List.of(t + ".old", "old." + t)));
        List<String> groups = ServiceGrants.BY_USER.values().stream().flatMap(List::stream)
                .filter(g -> g.type().equals("group") && g.patternType().equals("literal")
                        && g.operations().contains("read"))
                .map(Grant::name).distinct().sorted().toList();
        List<String> otherGroups = new ArrayList<>(List.of("cli-wallet", "console-consumer-12345"));
        groups.forEach(g -> otherGroups.addAll(List.of(g + "-old", "old-" + g)));
        List<String> problems = new ArrayList<>();
        problems.addAll(regex(kafka, exporter, "topicRegex", "topic", topics, otherTopics));
        problems.addAll(regex(kafka, exporter, "groupRegex", "group", groups, otherGroups));
        return problems;
    }

    private static List<String> regex(JsonNode kafka, JsonNode exporter, String field, String what,
                                      List<String> project, List<String> others) {
        String who = Manifests.name(kafka) + ": kafkaExporter." + field;
        if (!exporter.hasNonNull(field)) {
            return List.of(who + " is not set: Strimzi's default .* exports every " + what + " of the cluster");
        }
        java.util.regex.Pattern regex = java.util.regex.Pattern.compile(exporter.path(field).asText());
        List<String> problems = new ArrayList<>();
        project.stream().filter(name -> !regex.matcher(name).find()).forEach(name ->
                problems.add(who + " does not match the project's " + what + " " + name));
        others.stream().filter(name -> regex.matcher(name).find()).forEach(name ->
                problems.add(who + " also matches " + name + ", which is not the project's"));
        return problems;
    }

    /** A KafkaUser's allow rules, as grants (what {@link ServiceGrants#aclBindings} turns into the broker's ACLs). */
    public static Set<Grant> grants(JsonNode kafkaUser) {
        Set<Grant> granted = new HashSet<>();
        for (JsonNode acl : kafkaUser.path("spec").path("authorization").path("acls")) {
            if (!acl.path("type").asText("allow").equals("allow")) {
                continue;
            }
            JsonNode resource = acl.path("resource");
            Set<String> operations = new HashSet<>();
            acl.path("operations").forEach(o -> operations.add(o.asText()));
            granted.add(new Grant(resource.path("type").asText(), resource.path("name").asText(),
                    resource.path("patternType").asText("literal"), operations));
        }
        return granted;
    }

    /** Each KafkaUser: SCRAM-SHA-512, simple authorization, and exactly the grants of its service. */
    public static List<String> acls(List<JsonNode> documents) {
        List<String> problems = new ArrayList<>();
        Set<String> users = new HashSet<>();
        for (JsonNode document : documents) {
            if (!document.path("kind").asText().equals("KafkaUser")) {
                continue;
            }
            String user = document.path("metadata").path("name").asText();
            users.add(user);
            List<Grant> expected = ServiceGrants.BY_USER.get(user);
            if (expected == null) {
                problems.add("KafkaUser " + user + " belongs to no service (known: "
                        + new TreeSet<>(ServiceGrants.BY_USER.keySet()) + ")");
                continue;
            }
            JsonNode spec = document.path("spec");
            if (!spec.path("authentication").path("type").asText().equals("scram-sha-512")) {
                problems.add("KafkaUser " + user + ": authentication is not scram-sha-512");
            }
            if (!spec.path("authorization").path("type").asText().equals("simple")) {
                problems.add("KafkaUser " + user + ": authorization is not simple");
            }
            Set<Grant> granted = grants(document);
            for (Grant grant : expected) {
                if (!granted.remove(grant)) {
                    problems.add("KafkaUser " + user + " lacks " + grant);
                }
            }
            granted.forEach(extra -> problems.add("KafkaUser " + user + " is granted more than it uses: " + extra));
        }
        // KEDA's user exists only where KEDA scales the hashers.
        boolean keda = documents.stream().anyMatch(d -> d.path("kind").asText().equals("ScaledObject"));
        ServiceGrants.BY_USER.keySet().stream().filter(u -> !users.contains(u))
                .filter(u -> keda || !u.equals(DeploymentChecks.KEDA_USER)).sorted()
                .forEach(u -> problems.add("KafkaUser " + u + " is missing"));
        return problems;
    }
}
