package dev.kafkacoins.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Rules of Kubernetes' API validation (and of the kubelet, where a mistake passes the API server and fails at run
 * time) that fabric8's model does not check, because they relate one field to another. One line per problem,
 * naming the resource.
 */
public final class ApiRules {

    /** A container port's name: an IANA service name, at most 15 lowercase letters, digits and '-'. */
    private static final String PORT_NAME = "(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?";

    private ApiRules() {
    }

    public static List<String> check(List<JsonNode> documents) {
        List<String> problems = new ArrayList<>();
        problems.addAll(selectorsMatchTemplates(documents));
        problems.addAll(spreadConstraints(documents));
        problems.addAll(containerPorts(documents));
        problems.addAll(disruptionBudgets(documents));
        problems.addAll(servicePorts(documents));
        problems.addAll(ingressBackends(documents));
        problems.addAll(restrictedPodSecurity(documents));
        return problems;
    }

    /** The volume types the "restricted" Pod Security standard admits. */
    static final Set<String> RESTRICTED_VOLUMES = Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
            "persistentVolumeClaim", "projected", "secret");

    /**
     * What Pod Security Admission refuses in a namespace labelled "restricted" (k8s/cluster/namespaces.yaml)
     * beyond the user, seccomp, privilege-escalation and dropped capabilities that the hardening check covers: the
     * host's namespaces and ports, privileged containers, added capabilities other than NET_BIND_SERVICE, and
     * volume types outside the standard's list (hostPath above all). A workload's pods would be refused at
     * creation, and its rollout would wait forever.
     */
    static List<String> restrictedPodSecurity(List<JsonNode> documents) {
        List<String> problems = new ArrayList<>();
        for (Workloads.Pod pod : Workloads.pods(documents)) {
            for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
                if (pod.spec().path(host).asBoolean()) {
                    problems.add(pod.workload() + ": " + host + " is refused under Pod Security restricted");
                }
            }
            pod.spec().path("volumes").forEach(volume -> volume.fieldNames().forEachRemaining(field -> {
                if (!field.equals("name") && !RESTRICTED_VOLUMES.contains(field)) {
                    problems.add(pod.workload() + ": volume " + volume.path("name").asText() + " of type " + field
                            + " is refused under Pod Security restricted");
                }
            }));
            pod.allContainers().forEach(c -> {
                if (c.at("/securityContext/privileged").asBoolean()) {
                    problems.add(pod.containerName(c) + ": privileged is refused under Pod Security restricted");
                }
                c.at("/securityContext/capabilities/add").forEach(cap -> {
                    if (!cap.asText().equals("NET_BIND_SERVICE")) {
                        problems.add(pod.containerName(c) + ": capability " + cap.asText()
                                + " is refused under Pod Security restricted");
                    }
                });
                c.path("ports").forEach(p -> {
                    if (p.has("hostPort")) {
                        problems.add(pod.containerName(c) + ": hostPort " + p.path("hostPort").asInt()
                                + " is refused under Pod Security restricted");
                    }
                });
            });
        }
        return problems;
    }

    /** A Deployment's or StatefulSet's selector must match its pod template's labels (the API server refuses it). */
    static List<String> selectorsMatchTemplates(List<JsonNode> documents) {
        List<String> problems = new ArrayList<>();
        for (JsonNode workload : documents) {
            String kind = workload.path("kind").asText();
            if (!kind.equals("Deployment") && !kind.equals("StatefulSet")) {
                continue;
            }
            if (!NetworkPolicies.matches(workload.at("/spec/selector"), templateLabels(workload))) {
                problems.add(Manifests.name(workload) + ": spec.selector " + workload.at("/spec/selector")
                        + " does not match the template's labels " + templateLabels(workload));
            }
        }
        return problems;
    }

    /**
     * A topology spread constraint's matchLabelKeys needs a labelSelector and may not name a key the labelSelector
     * already uses (refused for Deployments up to Kubernetes 1.32, for every pod from 1.33); its labelSelector
     * should count the pod itself, or the skew is computed over other pods.
     */
    static List<String> spreadConstraints(List<JsonNode> documents) {
        List<String> problems = new ArrayList<>();
        for (JsonNode workload : documents) {
            JsonNode constraints = workload.at("/spec/template/spec/topologySpreadConstraints");
            for (JsonNode constraint : constraints) {
                JsonNode selector = constraint.path("labelSelector");
                Set<String> keys = new HashSet<>();
                selector.path("matchLabels").fieldNames().forEachRemaining(keys::add);
                selector.path("matchExpressions").forEach(e -> keys.add(e.path("key").asText()));
                for (JsonNode key : constraint.path("matchLabelKeys")) {
                    if (selector.isMissingNode()) {
                        problems.add(Manifests.name(workload) + ": topologySpreadConstraints has matchLabelKeys "
                                + "without a labelSelector");
                    } else if (keys.contains(key.asText())) {
                        problems.add(Manifests.name(workload) + ": topologySpreadConstraints names "
                                + key.asText() + " in both matchLabelKeys and labelSelector");
                    }
                }
                if (!selector.isMissingNode() && !NetworkPolicies.matches(selector, templateLabels(workload))) {
                    problems.add(Manifests.name(workload) + ": topologySpreadConstraints' labelSelector does not "
                            + "select the workload's own pods");
                }
            }
        }
        return problems;
    }

    /**
     * Container port names are valid and unique in the pod; every probe naming a port names one of its
     * container's (the kubelet fails the probe otherwise, and the pod never becomes ready); the Actuator's port is
     * the one the container's MANAGEMENT_SERVER_PORT sets.
     */
    static List<String> containerPorts(List<JsonNode> documents) {
        List<String> problems = new ArrayList<>();
        for (Workloads.Pod pod : Workloads.pods(documents)) {
            Set<String> names = new HashSet<>();
            pod.allContainers().forEach(c -> {
                Map<String, Integer> ports = new TreeMap<>();
                c.path("ports").forEach(p -> {
                    String name = p.path("name").asText(null);
                    if (name == null) {
                        return;
                    }
                    ports.put(name, p.path("containerPort").asInt());
                    if (!name.matches(PORT_NAME)) {
                        problems.add(pod.containerName(c) + ": port name " + name + " is not a valid port name "
                                + "(at most 15 lowercase letters, digits and '-')");
                    }
                    if (!names.add(name)) {
                        problems.add(pod.workload() + ": port name " + name + " is used twice in the pod");
                    }
                });
                for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                    for (String handler : List.of("httpGet", "tcpSocket", "grpc")) {
                        JsonNode port = c.path(probe).path(handler).path("port");
                        if (port.isTextual() && !ports.containsKey(port.asText())) {
                            problems.add(pod.containerName(c) + ": " + probe + " uses port " + port.asText()
                                    + ", which the container does not have " + ports.keySet());
                        }
                    }
                }
                String management = DeploymentChecks.env(c, DeploymentChecks.MANAGEMENT_PORT_ENV);
                Integer named = ports.get(DeploymentChecks.MANAGEMENT_PORT_NAME);
                if (management != null || named != null) {
                    if (named == null || !String.valueOf(named).equals(management)) {
                        problems.add(pod.containerName(c) + ": " + DeploymentChecks.MANAGEMENT_PORT_ENV + " is "
                                + management + ", the port named " + DeploymentChecks.MANAGEMENT_PORT_NAME + " is "
                                + named);
                    }
                }
            });
        }
        return problems;
    }

    /**
     * Every budget selects the pods of a workload, and leaves room for one eviction: minAvailable below, or
     * maxUnavailable above 0, at the workload's replicas (else a node drain waits forever).
     */
    static List<String> disruptionBudgets(List<JsonNode> documents) {
        List<String> problems = new ArrayList<>();
        for (JsonNode budget : Workloads.ofKind(documents, "PodDisruptionBudget")) {
            List<JsonNode> selected = documents.stream().filter(d -> Workloads.KINDS.contains(d.path("kind").asText()))
                    .filter(d -> NetworkPolicies.matches(budget.at("/spec/selector"), templateLabels(d))).toList();
            if (selected.isEmpty()) {
                problems.add(Manifests.name(budget) + ": selects no workload's pods");
                continue;
            }
            for (JsonNode workload : selected) {
                // An autoscaled Deployment has no replicas field: its minimum is 1.
                int replicas = workload.at("/spec/replicas").asInt(1);
                JsonNode min = budget.at("/spec/minAvailable");
                JsonNode max = budget.at("/spec/maxUnavailable");
                if (min.isInt() && min.asInt() >= replicas) {
                    problems.add(Manifests.name(budget) + ": minAvailable " + min.asInt() + " with "
                            + replicas + " replicas of " + Manifests.name(workload) + " allows no eviction");
                }
                if ((max.isInt() && max.asInt() == 0) || "0%".equals(max.asText())
                        || "100%".equals(min.asText())) {
                    problems.add(Manifests.name(budget) + ": allows no eviction of " + Manifests.name(workload));
                }
            }
        }
        return problems;
    }

    /** A Service selects some workload's pods, and each named targetPort is a port name those pods have. */
    static List<String> servicePorts(List<JsonNode> documents) {
        List<String> problems = new ArrayList<>();
        for (JsonNode service : Workloads.ofKind(documents, "Service")) {
            JsonNode selector = service.at("/spec/selector");
            List<JsonNode> selected = documents.stream()
                    .filter(d -> Workloads.KINDS.contains(d.path("kind").asText()))
                    .filter(d -> labelsMatch(selector, templateLabels(d))).toList();
            if (selected.isEmpty()) {
                problems.add(Manifests.name(service) + ": selects no workload's pods");
                continue;
            }
            for (JsonNode port : service.at("/spec/ports")) {
                JsonNode target = port.path("targetPort");
                for (JsonNode workload : selected) {
                    if (target.isTextual() && !portNames(workload).contains(target.asText())) {
                        problems.add(Manifests.name(service) + ": targetPort " + target.asText() + " is not a port of "
                                + Manifests.name(workload) + " " + portNames(workload));
                    }
                }
            }
        }
        return problems;
    }

    /** Each Ingress backend is a Service of the overlay and one of its ports, by name or number. */
    static List<String> ingressBackends(List<JsonNode> documents) {
        Map<String, JsonNode> services = new HashMap<>();
        Workloads.ofKind(documents, "Service").forEach(s -> services.put(s.at("/metadata/name").asText(), s));
        List<String> problems = new ArrayList<>();
        for (JsonNode ingress : Workloads.ofKind(documents, "Ingress")) {
            for (JsonNode rule : ingress.at("/spec/rules")) {
                for (JsonNode path : rule.at("/http/paths")) {
                    JsonNode backend = path.at("/backend/service");
                    JsonNode service = services.get(backend.path("name").asText());
                    if (service == null) {
                        problems.add(Manifests.name(ingress) + ": backend Service " + backend.path("name").asText()
                                + " is not in the overlay");
                        continue;
                    }
                    String wanted = backend.at("/port/name").asText(backend.at("/port/number").asText());
                    boolean found = Workloads.list(service.at("/spec/ports")).stream().anyMatch(p ->
                            p.path("name").asText().equals(wanted) || p.path("port").asText().equals(wanted));
                    if (!found) {
                        problems.add(Manifests.name(ingress) + ": backend port " + wanted + " is not a port of "
                                + Manifests.name(service));
                    }
                }
            }
        }
        return problems;
    }

    /** A Service's selector is a plain label map. */
    private static boolean labelsMatch(JsonNode selector, Map<String, String> labels) {
        if (selector.isMissingNode() || selector.isEmpty()) {
            return false;
        }
        for (var label : selector.properties()) {
            if (!label.getValue().asText().equals(labels.get(label.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> portNames(JsonNode workload) {
        Set<String> names = new TreeSet<>();
        workload.at("/spec/template/spec/containers")
                .forEach(c -> c.path("ports").forEach(p -> names.add(p.path("name").asText())));
        return names;
    }

    static Map<String, String> templateLabels(JsonNode workload) {
        Map<String, String> labels = new TreeMap<>();
        workload.at("/spec/template/metadata/labels").properties()
                .forEach(l -> labels.put(l.getKey(), l.getValue().asText()));
        return labels;
    }
}
