package dev.kafkacoins.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkacoins.deploy.NetworkPolicies.Endpoint;
import dev.kafkacoins.deploy.NetworkPolicies.Flow;
import dev.kafkacoins.deploy.NetworkPolicies.Port;
import dev.kafkacoins.deploy.NetworkPolicies.Verdict;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The PodMonitors of a rendered overlay against the pods it runs, Strimzi's included ({@link NetworkFlows.Cluster}):
 * what the Prometheus Operator would scrape, checked before any cluster runs it. Each PodMonitor selects pods, each
 * of its endpoints names a port every selected pod declares, Prometheus (namespace monitoring) may reach it through
 * the NetworkPolicies, and, once an overlay has PodMonitors, every metrics port of the system is scraped at the
 * path its server answers on. A misspelt port name, a selector off the pods' labels or a policy that shuts
 * Prometheus out would otherwise show only as a target that never appears.
 */
public final class MonitoringChecks {

    /** Where the Actuator serves Prometheus' text format, on the management port. */
    static final String ACTUATOR_PROMETHEUS = "/actuator/prometheus";
    /** The Prometheus Operator's default path, and the one Strimzi's components serve. */
    static final String METRICS = "/metrics";

    private MonitoringChecks() {
    }

    /** One line per problem, naming the PodMonitor or the pod and port; empty when the checks hold. */
    public static List<String> podMonitors(List<JsonNode> documents, String operatorNamespace) {
        List<JsonNode> monitors = Workloads.ofKind(documents, "PodMonitor");
        if (monitors.isEmpty()) {
            return List.of();
        }
        NetworkFlows.Cluster cluster = NetworkFlows.Cluster.of(documents, operatorNamespace);
        List<String> problems = new ArrayList<>();
        Set<String> scraped = new HashSet<>();
        for (JsonNode monitor : monitors) {
            String name = Manifests.name(monitor);
            List<Endpoint> selected = cluster.pods().stream()
                    .filter(pod -> pod.namespace() != null && namespaces(monitor).test(pod.namespace()))
                    .filter(pod -> NetworkPolicies.matches(monitor.at("/spec/selector"), pod.labels())).toList();
            if (selected.isEmpty()) {
                problems.add(name + ": its selector " + monitor.at("/spec/selector") + " selects no pod");
                continue;
            }
            for (JsonNode endpoint : monitor.at("/spec/podMetricsEndpoints")) {
                String portName = endpoint.path("port").asText(null);
                if (portName == null) {
                    // targetPort is deprecated, and a number ties the monitor to a value the pods may change.
                    problems.add(name + ": an endpoint without a port name " + endpoint);
                    continue;
                }
                String path = endpoint.path("path").asText(METRICS);
                for (Endpoint pod : selected) {
                    Port port = pod.namedPorts().get(portName);
                    if (port == null) {
                        problems.add(name + ": port " + portName + " is not a port of " + pod.namespace() + "/"
                                + pod.name() + " " + new TreeSet<>(pod.namedPorts().keySet()));
                        continue;
                    }
                    scraped.add(key(pod, portName, path));
                    Verdict verdict = cluster.policies().evaluate(new Flow("Prometheus scrapes " + pod.name(),
                            cluster.prometheus(), pod, port));
                    if (!verdict.allowed()) {
                        problems.add(name + ": Prometheus (namespace monitoring) cannot reach " + pod.namespace()
                                + "/" + pod.name() + ":" + portName + ": " + verdict.reason());
                    }
                }
            }
        }
        expected(cluster).forEach((key, why) -> {
            if (!scraped.contains(key)) {
                problems.add(why + " (" + key + ") is scraped by no PodMonitor");
            }
        });
        return problems;
    }

    /**
     * Every metrics endpoint of the system, "namespace/pod:port path" → what it is: each service's Actuator, each
     * Kafka node's and the Kafka Exporter's tcp-prometheus, the entity operator's two health ports and the cluster
     * operator's http port.
     */
    static Map<String, String> expected(NetworkFlows.Cluster cluster) {
        Map<String, String> expected = new LinkedHashMap<>();
        for (String service : NetworkFlows.SERVICES) {
            Endpoint pod = cluster.app().get(service);
            expected.put(key(pod, DeploymentChecks.MANAGEMENT_PORT_NAME, ACTUATOR_PROMETHEUS),
                    "the Actuator of " + service);
        }
        for (Endpoint node : cluster.kafkaNodes()) {
            if (node.namedPorts().containsKey(StrimziNetwork.METRICS_PORT_NAME)) {
                expected.put(key(node, StrimziNetwork.METRICS_PORT_NAME, METRICS), "the metrics of Kafka node "
                        + node.name());
            }
        }
        cluster.kafkaExporter().ifPresent(exporter -> expected.put(
                key(exporter, StrimziNetwork.METRICS_PORT_NAME, METRICS), "the Kafka Exporter"));
        expected.put(key(cluster.entityOperator(), StrimziNetwork.TOPIC_OPERATOR_PORT_NAME, METRICS),
                "the topic operator");
        expected.put(key(cluster.entityOperator(), StrimziNetwork.USER_OPERATOR_PORT_NAME, METRICS),
                "the user operator");
        expected.put(key(cluster.clusterOperator(), "http", METRICS), "the cluster operator");
        return expected;
    }

    /** The namespaces a PodMonitor looks in: its own unless namespaceSelector says any or names them. */
    private static java.util.function.Predicate<String> namespaces(JsonNode monitor) {
        JsonNode selector = monitor.at("/spec/namespaceSelector");
        if (selector.path("any").asBoolean(false)) {
            return ns -> true;
        }
        if (selector.has("matchNames")) {
            Set<String> names = new HashSet<>();
            selector.path("matchNames").forEach(n -> names.add(n.asText()));
            return names::contains;
        }
        String own = monitor.at("/metadata/namespace").asText();
        return own::equals;
    }

    private static String key(Endpoint pod, String port, String path) {
        return pod.namespace() + "/" + pod.name() + ":" + port + " " + path;
    }
}
