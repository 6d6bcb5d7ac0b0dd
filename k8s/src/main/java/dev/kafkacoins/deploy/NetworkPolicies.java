package dev.kafkacoins.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether a connection is allowed by a set of NetworkPolicies, with Kubernetes' semantics
 * (networking.k8s.io/v1): a pod no policy selects for a direction is not isolated in it; a selected pod accepts
 * what the union of its policies' rules allows; a connection needs both the source's egress and the
 * destination's ingress. Peers are pod selectors (in the policy's namespace), namespace selectors, both, or
 * ipBlocks with exceptions; ports are numbers or the destination container's port names, with endPort ranges.
 *
 * <p>Written here because no evaluator of these semantics exists for the JVM: the maintained ones (np-guard's
 * netpol-analyzer, sigs.k8s.io/kube-network-policies, the engine kind runs) are Go programs that read a live
 * cluster or a folder, not the model of a rendered overlay this build holds. Pod IPs are not modelled, so an
 * ipBlock matches only {@link Endpoint#address addresses} (the API server, something outside the cluster), which
 * is how these manifests use them.
 */
public final class NetworkPolicies {

    /** A pod (namespace, labels, its containers' named ports) or an address outside the pod network. */
    public record Endpoint(String name, String namespace, Map<String, String> labels, Map<String, Port> namedPorts,
                           String ip) {

        public static Endpoint pod(String name, String namespace, Map<String, String> labels,
                                   Map<String, Port> namedPorts) {
            return new Endpoint(name, namespace, Map.copyOf(labels), Map.copyOf(namedPorts), null);
        }

        public static Endpoint address(String name, String ip) {
            return new Endpoint(name, null, Map.of(), Map.of(), ip);
        }

        boolean isPod() {
            return namespace != null;
        }

        @Override
        public String toString() {
            return isPod() ? namespace + "/" + name : name + " (" + ip + ")";
        }
    }

    /** A container port: number and protocol. */
    public record Port(int number, String protocol) {

        public static Port tcp(int number) {
            return new Port(number, "TCP");
        }
    }

    /** A connection attempt and why it is asked about. */
    public record Flow(String why, Endpoint from, Endpoint to, Port port) {

        @Override
        public String toString() {
            return why + " (" + from + " → " + to + ":" + port.number() + "/" + port.protocol() + ")";
        }
    }

    /** The answer: allowed, or which side refused and which policies select that side. */
    public record Verdict(boolean allowed, String reason) {
    }

    private final List<JsonNode> policies;
    private final Map<String, Map<String, String>> namespaceLabels;

    /**
     * @param policies        every NetworkPolicy of the cluster, each with its metadata.namespace
     * @param namespaceLabels the labels of each namespace an endpoint is in
     */
    public NetworkPolicies(List<JsonNode> policies, Map<String, Map<String, String>> namespaceLabels) {
        this.policies = List.copyOf(policies);
        this.namespaceLabels = Map.copyOf(namespaceLabels);
    }

    public Verdict evaluate(Flow flow) {
        Optional<String> egress = refusal(flow, "Egress", flow.from(), flow.to());
        if (egress.isPresent()) {
            return new Verdict(false, egress.get());
        }
        Optional<String> ingress = refusal(flow, "Ingress", flow.to(), flow.from());
        return ingress.map(r -> new Verdict(false, r)).orElse(new Verdict(true, "allowed"));
    }

    /** Why the policies selecting {@code subject} in {@code direction} refuse the peer, if they do. */
    private Optional<String> refusal(Flow flow, String direction, Endpoint subject, Endpoint peer) {
        if (!subject.isPod()) {
            return Optional.empty();
        }
        List<String> selecting = new ArrayList<>();
        for (JsonNode policy : policies) {
            if (!policy.at("/metadata/namespace").asText().equals(subject.namespace())
                    || !types(policy).contains(direction)
                    || !matches(policy.at("/spec/podSelector"), subject.labels())) {
                continue;
            }
            selecting.add(policy.at("/metadata/name").asText());
            String rules = direction.equals("Egress") ? "egress" : "ingress";
            String peers = direction.equals("Egress") ? "to" : "from";
            for (JsonNode rule : policy.at("/spec").path(rules)) {
                if (anyPeer(rule.path(peers), peer, subject.namespace()) && anyPort(rule.path("ports"), flow)) {
                    return Optional.empty();
                }
            }
        }
        return selecting.isEmpty() ? Optional.empty()
                : Optional.of(direction.toLowerCase(java.util.Locale.ROOT) + " of " + subject + " allows it in none of "
                        + selecting);
    }

    /**
     * policyTypes, or the API server's default: Ingress, plus Egress when the policy has at least one egress rule
     * ({@code egress: []} is no rule, as {@code len(spec.egress) != 0} in Kubernetes' defaulting).
     */
    private static List<String> types(JsonNode policy) {
        JsonNode types = policy.at("/spec/policyTypes");
        if (types.isArray() && !types.isEmpty()) {
            return Workloads.list(types).stream().map(JsonNode::asText).toList();
        }
        JsonNode egress = policy.at("/spec/egress");
        return egress.isMissingNode() || egress.isEmpty() ? List.of("Ingress") : List.of("Ingress", "Egress");
    }

    /** A missing or empty peer list matches every peer. */
    private boolean anyPeer(JsonNode peers, Endpoint peer, String policyNamespace) {
        if (peers.isMissingNode() || peers.isNull() || peers.isEmpty()) {
            return true;
        }
        for (JsonNode candidate : peers) {
            if (peerMatches(candidate, peer, policyNamespace)) {
                return true;
            }
        }
        return false;
    }

    private boolean peerMatches(JsonNode candidate, Endpoint peer, String policyNamespace) {
        if (candidate.has("ipBlock")) {
            return peer.ip() != null && inBlock(peer.ip(), candidate.path("ipBlock"));
        }
        if (!peer.isPod()) {
            return false;
        }
        JsonNode pods = candidate.path("podSelector");
        JsonNode namespaces = candidate.path("namespaceSelector");
        boolean namespaceOk = namespaces.isMissingNode() || namespaces.isNull()
                ? peer.namespace().equals(policyNamespace)
                : matches(namespaces, namespaceLabels.getOrDefault(peer.namespace(), Map.of()));
        boolean podOk = pods.isMissingNode() || pods.isNull() || matches(pods, peer.labels());
        return namespaceOk && podOk;
    }

    /** A missing or empty port list matches every port; a port entry without a port, every port of its protocol. */
    private static boolean anyPort(JsonNode ports, Flow flow) {
        if (ports.isMissingNode() || ports.isNull() || ports.isEmpty()) {
            return true;
        }
        for (JsonNode port : ports) {
            if (!port.path("protocol").asText("TCP").equals(flow.port().protocol())) {
                continue;
            }
            JsonNode number = port.path("port");
            if (number.isMissingNode() || number.isNull()) {
                return true;
            }
            if (number.isInt()) {
                int from = number.asInt();
                int to = port.path("endPort").asInt(from);
                if (flow.port().number() >= from && flow.port().number() <= to) {
                    return true;
                }
            } else {
                // A named port is the destination container's port of that name (and its protocol).
                Port named = flow.to().namedPorts().get(number.asText());
                if (flow.port().equals(named)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A label selector: every matchLabels pair and every matchExpressions requirement; {} matches everything. */
    static boolean matches(JsonNode selector, Map<String, String> labels) {
        for (var label : selector.path("matchLabels").properties()) {
            if (!label.getValue().asText().equals(labels.get(label.getKey()))) {
                return false;
            }
        }
        for (JsonNode requirement : selector.path("matchExpressions")) {
            String value = labels.get(requirement.path("key").asText());
            List<String> values = Workloads.list(requirement.path("values")).stream().map(JsonNode::asText).toList();
            boolean holds = switch (requirement.path("operator").asText()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new IllegalArgumentException("unknown selector operator in " + requirement);
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    private static boolean inBlock(String ip, JsonNode block) {
        if (!inCidr(ip, block.path("cidr").asText())) {
            return false;
        }
        for (JsonNode except : block.path("except")) {
            if (inCidr(ip, except.asText())) {
                return false;
            }
        }
        return true;
    }

    static boolean inCidr(String ip, String cidr) {
        String[] parts = cidr.split("/");
        byte[] address = literal(ip);
        byte[] network = literal(parts[0]);
        if (address.length != network.length) {
            return false;
        }
        int bits = parts.length > 1 ? Integer.parseInt(parts[1]) : address.length * 8;
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >> (i % 8);
            if ((address[i / 8] & mask) != (network[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** An IP literal's bytes (never a name lookup: a policy's cidr and an endpoint's ip are literals). */
    private static byte[] literal(String ip) {
        if (!ip.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an IP literal: " + ip);
        }
        try {
            return InetAddress.getByName(ip).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + ip, e);
        }
    }
}
