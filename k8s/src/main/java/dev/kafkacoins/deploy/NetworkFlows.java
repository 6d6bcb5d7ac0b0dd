package dev.kafkacoins.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkacoins.deploy.NetworkPolicies.Endpoint;
import dev.kafkacoins.deploy.NetworkPolicies.Flow;
import dev.kafkacoins.deploy.NetworkPolicies.Port;
import dev.kafkacoins.deploy.NetworkPolicies.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The connections a deployment needs and those it must not have, evaluated over a rendered overlay's
 * NetworkPolicies together with the ones Strimzi writes ({@link StrimziNetwork}). The cluster around the overlay
 * is a stock one: CoreDNS in kube-system, KEDA in keda, Prometheus (the Prometheus Operator's, pods labelled
 * app.kubernetes.io/name=prometheus) in monitoring, ingress-nginx in its own
 * namespace, the API server at a node address (policies see the connection after the kubernetes Service's
 * address has been translated to it).
 */
public final class NetworkFlows {

    static final Endpoint API_SERVER = Endpoint.address("the API server", "172.18.0.2");
    static final Port API_PORT = Port.tcp(6443);

    static final Set<String> KAFKA_CLIENTS = Set.of("rng", "hasher", "aggregator", "sink", "webui", "kafka-cli");
    static final Set<String> DATABASE_CLIENTS = Set.of("sink", "webui", "db-migrations");
    static final Set<String> SERVICES = Set.of("rng", "hasher", "aggregator", "sink", "webui");

    private NetworkFlows() {
    }

    /** One line per flow that comes out otherwise than it must; empty when every flow does. */
    public static List<String> check(List<JsonNode> documents, String operatorNamespace) {
        Cluster cluster = Cluster.of(documents, operatorNamespace);
        List<String> problems = new ArrayList<>();
        for (Flow flow : cluster.mustAllow()) {
            Verdict verdict = cluster.policies().evaluate(flow);
            if (!verdict.allowed()) {
                problems.add("must be allowed, is refused: " + flow + ": " + verdict.reason());
            }
        }
        for (Flow flow : cluster.mustDeny()) {
            if (cluster.policies().evaluate(flow).allowed()) {
                problems.add("must be refused, is allowed: " + flow);
            }
        }
        return problems;
    }

    /** The pods of the overlay and around it, and every policy that applies to them. */
    record Cluster(String namespace, Map<String, Endpoint> app, List<Endpoint> kafkaNodes, Endpoint entityOperator,
                   java.util.Optional<Endpoint> kafkaExporter, Endpoint clusterOperator, Endpoint dns, Endpoint keda,
                   Endpoint prometheus, Endpoint ingress, Endpoint stranger, NetworkPolicies policies) {

        /** Every pod of the cluster: the overlay's, Strimzi's and the ones around them. */
        List<Endpoint> pods() {
            List<Endpoint> pods = new ArrayList<>(app.values());
            pods.addAll(kafkaNodes);
            pods.add(entityOperator);
            kafkaExporter.ifPresent(pods::add);
            pods.addAll(List.of(clusterOperator, dns, keda, prometheus, ingress, stranger));
            return pods;
        }

        static Cluster of(List<JsonNode> documents, String operatorNamespace) {
            String namespace = Workloads.ofKind(documents, "Kafka").getFirst().at("/metadata/namespace").asText();
            List<JsonNode> policies = new ArrayList<>(Workloads.ofKind(documents, "NetworkPolicy"));
            policies.addAll(StrimziNetwork.policies(documents, operatorNamespace));
            Map<String, Map<String, String>> namespaces = new HashMap<>();
            for (String ns : List.of(namespace, operatorNamespace, "kube-system", "keda", "monitoring",
                    "ingress-nginx", "default")) {
                namespaces.put(ns, Map.of("kubernetes.io/metadata.name", ns));
            }
            return new Cluster(namespace, appPods(documents), StrimziNetwork.kafkaNodes(documents),
                    StrimziNetwork.entityOperator(documents), StrimziNetwork.kafkaExporter(documents),
                    StrimziNetwork.clusterOperator(operatorNamespace),
                    Endpoint.pod("coredns", "kube-system", Map.of("k8s-app", "kube-dns"),
                            Map.of("dns", new Port(53, "UDP"), "dns-tcp", Port.tcp(53))),
                    Endpoint.pod("keda-operator", "keda", Map.of("app", "keda-operator"), Map.of()),
                    Endpoint.pod("prometheus", "monitoring", Map.of("app.kubernetes.io/name", "prometheus"), Map.of()),
                    Endpoint.pod("ingress-nginx-controller", "ingress-nginx",
                            Map.of("app.kubernetes.io/name", "ingress-nginx"), Map.of()),
                    Endpoint.pod("someone", "default", Map.of("app", "someone"), Map.of()),
                    new NetworkPolicies(policies, namespaces));
        }

        List<Flow> mustAllow() {
            List<Flow> flows = new ArrayList<>();
            flows.add(new Flow("the cluster operator watches and writes resources", clusterOperator, API_SERVER,
                    API_PORT));
            flows.add(new Flow("the entity operator watches topics and users", entityOperator, API_SERVER, API_PORT));
            for (Endpoint node : kafkaNodes) {
                named(node, "tcp-kafkaagent").ifPresent(p -> flows.add(new Flow(
                        "the cluster operator asks a node's agent for its state", clusterOperator, node, p)));
                named(node, "tcp-replication").ifPresent(p -> {
                    flows.add(new Flow("the cluster operator administers Kafka", clusterOperator, node, p));
                    flows.add(new Flow("the entity operator manages topics and users", entityOperator, node, p));
                    kafkaNodes.stream().filter(n -> named(n, "tcp-replication").isPresent()).forEach(other ->
                            flows.add(new Flow("a broker replicates from another", other, node, p)));
                    for (String client : KAFKA_CLIENTS) {
                        if (app.containsKey(client)) {
                            flows.add(new Flow(client + " uses Kafka", app.get(client), node, named(node, "tcp-tls")
                                    .orElseThrow()));
                        }
                    }
                    flows.add(new Flow("KEDA reads the hashers' lag", keda, node, named(node, "tcp-tls").orElseThrow()));
                });
                named(node, "tcp-ctrlplane").ifPresent(p -> {
                    flows.add(new Flow("the cluster operator talks to a controller", clusterOperator, node, p));
                    kafkaNodes.forEach(other -> flows.add(new Flow("a node reaches the controller quorum", other, node,
                            p)));
                });
            }
            for (String client : DATABASE_CLIENTS) {
                flows.add(new Flow(client + " uses PostgreSQL", app.get(client), app.get("postgres"),
                        Port.tcp(5432)));
            }
            for (String service : SERVICES) {
                flows.add(new Flow("Prometheus scrapes " + service, prometheus, app.get(service),
                        named(app.get(service), "management").orElseThrow()));
            }
            flows.add(new Flow("Prometheus scrapes the cluster operator", prometheus, clusterOperator,
                    named(clusterOperator, "http").orElseThrow()));
            flows.add(new Flow("Prometheus scrapes the topic operator", prometheus, entityOperator,
                    named(entityOperator, StrimziNetwork.TOPIC_OPERATOR_PORT_NAME).orElseThrow()));
            flows.add(new Flow("Prometheus scrapes the user operator", prometheus, entityOperator,
                    named(entityOperator, StrimziNetwork.USER_OPERATOR_PORT_NAME).orElseThrow()));
            for (Endpoint node : kafkaNodes) {
                named(node, StrimziNetwork.METRICS_PORT_NAME).ifPresent(p -> flows.add(new Flow(
                        "Prometheus scrapes a Kafka node", prometheus, node, p)));
            }
            kafkaExporter.ifPresent(exporter -> {
                flows.add(new Flow("Prometheus scrapes the Kafka Exporter", prometheus, exporter,
                        named(exporter, StrimziNetwork.METRICS_PORT_NAME).orElseThrow()));
                kafkaNodes.forEach(node -> named(node, "tcp-replication").ifPresent(p -> flows.add(new Flow(
                        "the Kafka Exporter reads offsets and group lag", exporter, node, p))));
            });
            flows.add(new Flow("the Ingress controller serves the dashboard", ingress, app.get("webui"),
                    named(app.get("webui"), "http").orElseThrow()));
            for (Endpoint pod : app.values()) {
                flows.add(new Flow(pod.name() + " resolves names", pod, dns, new Port(53, "UDP")));
                flows.add(new Flow(pod.name() + " resolves names", pod, dns, Port.tcp(53)));
            }
            return flows;
        }

        List<Flow> mustDeny() {
            List<Flow> flows = new ArrayList<>();
            Endpoint postgres = app.get("postgres");
            Endpoint broker = kafkaNodes.stream().filter(n -> named(n, "tcp-tls").isPresent()).findFirst()
                    .orElseThrow();
            for (Endpoint pod : app.values()) {
                if (!DATABASE_CLIENTS.contains(pod.name()) && pod != postgres) {
                    flows.add(new Flow(pod.name() + " has no business in PostgreSQL", pod, postgres, Port.tcp(5432)));
                }
                if (!KAFKA_CLIENTS.contains(pod.name())) {
                    flows.add(new Flow(pod.name() + " has no Kafka user", pod, broker,
                            named(broker, "tcp-tls").orElseThrow()));
                }
                flows.add(new Flow(pod.name() + " has no business with the API server", pod, API_SERVER, API_PORT));
                flows.add(new Flow(pod.name() + " is no broker", pod, broker,
                        named(broker, "tcp-replication").orElseThrow()));
            }
            flows.add(new Flow("a pod of another namespace reaches PostgreSQL", stranger, postgres, Port.tcp(5432)));
            flows.add(new Flow("a pod of another namespace reaches a service's management port", stranger,
                    app.get("sink"), named(app.get("sink"), "management").orElseThrow()));
            flows.add(new Flow("the Ingress controller reaches the dashboard's management port", ingress,
                    app.get("webui"), named(app.get("webui"), "management").orElseThrow()));
            flows.add(new Flow("the Ingress controller reaches a service that is not the dashboard", ingress,
                    app.get("rng"), named(app.get("rng"), "http").orElseThrow()));
            flows.add(new Flow("a service calls another service directly", app.get("rng"), app.get("webui"),
                    named(app.get("webui"), "http").orElseThrow()));
            flows.add(new Flow("Prometheus reaches Kafka's replication port", prometheus, broker,
                    named(broker, "tcp-replication").orElseThrow()));
            flows.add(new Flow("Prometheus reaches PostgreSQL", prometheus, postgres, Port.tcp(5432)));
            flows.add(new Flow("Prometheus reaches a service's application port", prometheus, app.get("rng"),
                    named(app.get("rng"), "http").orElseThrow()));
            return flows;
        }
    }

    private static java.util.Optional<Port> named(Endpoint pod, String port) {
        return java.util.Optional.ofNullable(pod.namedPorts().get(port));
    }

    /** One endpoint per workload (and bare Pod) of the overlay, named by its service, with its named ports. */
    static Map<String, Endpoint> appPods(List<JsonNode> documents) {
        Map<String, Endpoint> pods = new LinkedHashMap<>();
        for (JsonNode document : documents) {
            String kind = document.path("kind").asText();
            JsonNode template;
            if (Workloads.KINDS.contains(kind)) {
                template = document.at("/spec/template");
            } else if (kind.equals("Pod")) {
                template = document;
            } else {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            template.at("/metadata/labels").properties().forEach(l -> labels.put(l.getKey(), l.getValue().asText()));
            Map<String, Port> ports = new HashMap<>();
            for (String containers : List.of("initContainers", "containers")) {
                template.at("/spec").path(containers).forEach(c -> c.path("ports").forEach(p -> {
                    if (p.has("name")) {
                        ports.put(p.path("name").asText(), new Port(p.path("containerPort").asInt(),
                                p.path("protocol").asText("TCP")));
                    }
                }));
            }
            String name = labels.getOrDefault("app.kubernetes.io/name", document.at("/metadata/name").asText());
            pods.put(name, Endpoint.pod(name, document.at("/metadata/namespace").asText(), labels, ports));
        }
        return pods;
    }
}
