package dev.kafkacoins.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kafkacoins.deploy.NetworkPolicies.Endpoint;
import dev.kafkacoins.deploy.NetworkPolicies.Port;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pods and NetworkPolicies Strimzi's cluster operator (1.2.0, the version of {@code io.strimzi:api}) creates
 * for a Kafka and its node pools, as far as the network is concerned: their labels, their ports and its own
 * ingress-only policies. Facts taken from the operator's model classes (KafkaCluster, EntityOperator,
 * EntityTopicOperator, EntityUserOperator, KafkaExporter, MetricsModel, NetworkPolicyUtils, Labels) and its
 * install files; a new Strimzi version is a reason to read them again.
 */
public final class StrimziNetwork {

    static final int CONTROL_PLANE = 9090;
    static final int REPLICATION = 9091;
    static final int KAFKA_AGENT = 8443;
    static final int TOPIC_OPERATOR_HEALTH = 8080;
    static final int USER_OPERATOR_HEALTH = 8081;
    /** Where the nodes (with a metricsConfig) and the Kafka Exporter serve Prometheus' text format. */
    static final int METRICS = 9404;
    static final String METRICS_PORT_NAME = "tcp-prometheus";
    /** The entity operator's containers' health ports, which also serve /metrics. */
    static final String TOPIC_OPERATOR_PORT_NAME = "healthcheck-to";
    static final String USER_OPERATOR_PORT_NAME = "healthcheck-uo";

    /** The labels of the cluster operator's pod (its install Deployment's template). */
    static final Map<String, String> OPERATOR_LABELS = Map.of("name", "strimzi-cluster-operator",
            "strimzi.io/kind", "cluster-operator");

    private StrimziNetwork() {
    }

    /** The cluster operator, running in {@code namespace}. */
    public static Endpoint clusterOperator(String namespace) {
        return Endpoint.pod("strimzi-cluster-operator", namespace, OPERATOR_LABELS,
                Map.of("http", Port.tcp(8080)));
    }

    /** Every Kafka node: one pod per replica of each KafkaNodePool, labelled with its pool and roles. */
    public static List<Endpoint> kafkaNodes(List<JsonNode> documents) {
        JsonNode kafka = kafka(documents);
        String cluster = kafka.at("/metadata/name").asText();
        String namespace = kafka.at("/metadata/namespace").asText();
        List<Endpoint> nodes = new ArrayList<>();
        for (JsonNode pool : Workloads.ofKind(documents, "KafkaNodePool")) {
            String poolName = pool.at("/metadata/name").asText();
            List<String> roles = Workloads.list(pool.at("/spec/roles")).stream().map(JsonNode::asText).toList();
            boolean broker = roles.contains("broker");
            boolean controller = roles.contains("controller");
            Map<String, String> labels = new HashMap<>(clusterLabels(cluster, cluster + "-kafka"));
            labels.put("strimzi.io/pool-name", poolName);
            labels.put("strimzi.io/broker-role", String.valueOf(broker));
            labels.put("strimzi.io/controller-role", String.valueOf(controller));
            labels.put("strimzi.io/component-type", "kafka");
            labels.put("app.kubernetes.io/name", "kafka");
            Map<String, Port> ports = new LinkedHashMap<>();
            ports.put("tcp-kafkaagent", Port.tcp(KAFKA_AGENT));
            if (controller) {
                ports.put("tcp-ctrlplane", Port.tcp(CONTROL_PLANE));
            }
            if (broker) {
                ports.put("tcp-replication", Port.tcp(REPLICATION));
                for (JsonNode listener : kafka.at("/spec/kafka/listeners")) {
                    ports.put("tcp-" + listener.path("name").asText(), Port.tcp(listener.path("port").asInt()));
                }
            }
            // Every node, whatever its roles, when the Kafka has a metricsConfig.
            if (hasMetrics(kafka)) {
                ports.put(METRICS_PORT_NAME, Port.tcp(METRICS));
            }
            for (int i = 0; i < pool.at("/spec/replicas").asInt(); i++) {
                labels.put("strimzi.io/pod-name", cluster + "-" + poolName + "-" + i);
                nodes.add(Endpoint.pod(cluster + "-" + poolName + "-" + i, namespace, labels, ports));
            }
        }
        return nodes;
    }

    /**
     * The entity operator (topic and user operators in one pod, each container with its health port, named as
     * EntityTopicOperator and EntityUserOperator name them).
     */
    public static Endpoint entityOperator(List<JsonNode> documents) {
        JsonNode kafka = kafka(documents);
        String cluster = kafka.at("/metadata/name").asText();
        Map<String, String> labels = new HashMap<>(clusterLabels(cluster, cluster + "-entity-operator"));
        labels.put("app.kubernetes.io/name", "entity-operator");
        return Endpoint.pod(cluster + "-entity-operator", kafka.at("/metadata/namespace").asText(), labels,
                Map.of(TOPIC_OPERATOR_PORT_NAME, Port.tcp(TOPIC_OPERATOR_HEALTH),
                        USER_OPERATOR_PORT_NAME, Port.tcp(USER_OPERATOR_HEALTH)));
    }

    /** The Kafka Exporter's pod, when the Kafka has one ({@code spec.kafkaExporter}). */
    public static Optional<Endpoint> kafkaExporter(List<JsonNode> documents) {
        JsonNode kafka = kafka(documents);
        if (!kafka.at("/spec/kafkaExporter").isObject()) {
            return Optional.empty();
        }
        String cluster = kafka.at("/metadata/name").asText();
        Map<String, String> labels = new HashMap<>(clusterLabels(cluster, cluster + "-kafka-exporter"));
        labels.put("app.kubernetes.io/name", "kafka-exporter");
        return Optional.of(Endpoint.pod(cluster + "-kafka-exporter", kafka.at("/metadata/namespace").asText(),
                labels, Map.of(METRICS_PORT_NAME, Port.tcp(METRICS))));
    }

    static boolean hasMetrics(JsonNode kafka) {
        return kafka.at("/spec/kafka/metricsConfig").isObject();
    }

    /**
     * The policies the operator writes: the Kafka nodes admit the control plane from each other and the operator,
     * replication from the operator, each other and the entity operator, the agent from the operator, each
     * listener and the metrics port (with a metricsConfig) from anywhere; the entity operator admits its health ports
     * from anywhere, the Kafka Exporter its metrics port. The operator is matched
     * in the cluster's namespace when it runs there, else in every namespace (no namespace labels configured).
     */
    public static List<JsonNode> policies(List<JsonNode> documents, String operatorNamespace) {
        JsonNode kafka = kafka(documents);
        String cluster = kafka.at("/metadata/name").asText();
        String namespace = kafka.at("/metadata/namespace").asText();
        Map<String, String> kafkaSelector = clusterLabels(cluster, cluster + "-kafka");
        ObjectNode operator = peer(OPERATOR_LABELS);
        if (!operatorNamespace.equals(namespace)) {
            operator.putObject("namespaceSelector");
        }
        ObjectNode nodes = peer(kafkaSelector);
        ObjectNode entityOperator = peer(Map.of("strimzi.io/name", cluster + "-entity-operator"));
        ObjectNode exporter = peer(Map.of("strimzi.io/name", cluster + "-kafka-exporter"));
        ObjectNode cruiseControl = peer(Map.of("strimzi.io/name", cluster + "-cruise-control"));
        List<ObjectNode> kafkaRules = new ArrayList<>();
        kafkaRules.add(rule(CONTROL_PLANE, nodes, operator));
        kafkaRules.add(rule(REPLICATION, operator, nodes, entityOperator, exporter, cruiseControl));
        kafkaRules.add(rule(KAFKA_AGENT, operator));
        for (JsonNode listener : kafka.at("/spec/kafka/listeners")) {
            kafkaRules.add(rule(listener.path("port").asInt()));
        }
        if (hasMetrics(kafka)) {
            kafkaRules.add(rule(METRICS));
        }
        List<ObjectNode> entityRules = List.of(rule(TOPIC_OPERATOR_HEALTH), rule(USER_OPERATOR_HEALTH));
        List<JsonNode> policies = new ArrayList<>(List.of(
                policy(cluster + "-network-policy-kafka", namespace, kafkaSelector, kafkaRules),
                policy(cluster + "-entity-operator", namespace,
                        clusterLabels(cluster, cluster + "-entity-operator"), entityRules)));
        if (kafkaExporter(documents).isPresent()) {
            policies.add(policy(cluster + "-kafka-exporter", namespace,
                    clusterLabels(cluster, cluster + "-kafka-exporter"), List.of(rule(METRICS))));
        }
        return policies;
    }

    private static Map<String, String> clusterLabels(String cluster, String name) {
        return Map.of("strimzi.io/cluster", cluster, "strimzi.io/kind", "Kafka", "strimzi.io/name", name);
    }

    private static JsonNode kafka(List<JsonNode> documents) {
        List<JsonNode> kafkas = Workloads.ofKind(documents, "Kafka");
        if (kafkas.size() != 1) {
            throw new IllegalArgumentException("expected exactly one Kafka, found " + kafkas.size());
        }
        return kafkas.getFirst();
    }

    private static ObjectNode peer(Map<String, String> podLabels) {
        ObjectNode peer = Manifests.YAML.createObjectNode();
        ObjectNode labels = peer.putObject("podSelector").putObject("matchLabels");
        podLabels.forEach(labels::put);
        return peer;
    }

    /** An ingress rule for one TCP port; no peers means from anywhere. */
    private static ObjectNode rule(int port, ObjectNode... peers) {
        ObjectNode rule = Manifests.YAML.createObjectNode();
        rule.putArray("ports").addObject().put("protocol", "TCP").put("port", port);
        if (peers.length > 0) {
            ArrayNode from = rule.putArray("from");
            for (ObjectNode peer : peers) {
                from.add(peer);
            }
        }
        return rule;
    }

    private static JsonNode policy(String name, String namespace, Map<String, String> selector,
                                   List<ObjectNode> rules) {
        ObjectNode policy = Manifests.YAML.createObjectNode();
        policy.put("apiVersion", "networking.k8s.io/v1").put("kind", "NetworkPolicy");
        policy.putObject("metadata").put("name", name).put("namespace", namespace);
        ObjectNode spec = policy.putObject("spec");
        ObjectNode labels = spec.putObject("podSelector").putObject("matchLabels");
        selector.forEach(labels::put);
        ArrayNode ingress = spec.putArray("ingress");
        rules.forEach(ingress::add);
        return policy;
    }
}
