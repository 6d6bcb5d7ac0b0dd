package dev.kafkacoins.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkacoins.deploy.NetworkPolicies.Endpoint;
import dev.kafkacoins.deploy.NetworkPolicies.Flow;
import dev.kafkacoins.deploy.NetworkPolicies.Port;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The evaluator's semantics, each on the smallest policy that shows it. */
@Timeout(30)
class NetworkPoliciesTest {

    static final Endpoint WEB = Endpoint.pod("web", "shop", Map.of("app", "web", "tier", "front"),
            Map.of("http", Port.tcp(8080), "admin", Port.tcp(9000)));
    static final Endpoint DB = Endpoint.pod("db", "shop", Map.of("app", "db"), Map.of("sql", Port.tcp(5432)));
    static final Endpoint PROBE = Endpoint.pod("probe", "ops", Map.of("app", "probe"), Map.of());
    static final Map<String, Map<String, String>> NAMESPACES = Map.of(
            "shop", Map.of("kubernetes.io/metadata.name", "shop"),
            "ops", Map.of("kubernetes.io/metadata.name", "ops", "team", "ops"));

    @Test
    void aPodNoPolicySelectsIsNotIsolated() throws Exception {
        var policies = policies("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-only, namespace: shop}
                spec:
                  podSelector: {matchLabels: {app: db}}
                """);
        assertThat(allowed(policies, DB, WEB, Port.tcp(8080))).isTrue();
        assertThat(allowed(policies, WEB, DB, Port.tcp(5432))).as("ingress-only by default, no rule").isFalse();
    }

    @Test
    void bothTheSourcesEgressAndTheDestinationsIngressMustAllow() throws Exception {
        var policies = policies("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web-out, namespace: shop}
                spec:
                  podSelector: {matchLabels: {app: web}}
                  egress:
                    - to: [{podSelector: {matchLabels: {app: db}}}]
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-in, namespace: shop}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                    - from: [{podSelector: {matchExpressions: [{key: tier, operator: NotIn, values: [front]}]}}]
                """);
        assertThat(allowed(policies, WEB, DB, Port.tcp(5432))).as("egress yes, ingress no").isFalse();
        assertThat(allowed(policies, WEB, PROBE, Port.tcp(1))).as("egress only to db").isFalse();
        assertThat(allowed(policies, PROBE, WEB, Port.tcp(8080)))
                .as("without policyTypes, a policy with egress rules also isolates ingress").isFalse();
        assertThat(allowed(policies, DB, PROBE, Port.tcp(1))).as("probe is selected by no policy").isTrue();
    }

    @Test
    void anEmptyEgressListWithoutPolicyTypesIsolatesIngressOnly() throws Exception {
        var policies = policies("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web-in, namespace: shop}
                spec:
                  podSelector: {matchLabels: {app: web}}
                  ingress: []
                  egress: []
                """);
        assertThat(allowed(policies, WEB, DB, Port.tcp(5432))).as("no egress rule: egress is not isolated").isTrue();
        assertThat(allowed(policies, DB, WEB, Port.tcp(8080))).as("ingress is isolated").isFalse();
    }

    @Test
    void aPodSelectorAloneMeansThePolicysNamespaceAndANamespaceSelectorOtherNamespaces() throws Exception {
        var policies = policies("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web-in, namespace: shop}
                spec:
                  podSelector: {matchLabels: {app: web}}
                  policyTypes: [Ingress]
                  ingress:
                    - from: [{podSelector: {matchLabels: {app: probe}}}]
                      ports: [{port: http}]
                    - from: [{namespaceSelector: {matchLabels: {team: ops}}, podSelector: {matchLabels: {app: probe}}}]
                      ports: [{port: 9000, endPort: 9001}]
                """);
        assertThat(allowed(policies, PROBE, WEB, Port.tcp(8080))).as("probe is not in shop").isFalse();
        assertThat(allowed(policies, PROBE, WEB, Port.tcp(9000))).as("the port range, from ops").isTrue();
        assertThat(allowed(policies, PROBE, WEB, new Port(9000, "UDP"))).as("TCP by default").isFalse();
        assertThat(allowed(policies, DB, WEB, Port.tcp(9000))).as("db is not in ops").isFalse();
    }

    @Test
    void aNamedPortIsTheDestinationContainersPortOfThatName() throws Exception {
        var policies = policies("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-in, namespace: shop}
                spec:
                  podSelector: {}
                  ingress:
                    - ports: [{port: sql}]
                """);
        assertThat(allowed(policies, WEB, DB, Port.tcp(5432))).isTrue();
        assertThat(allowed(policies, DB, WEB, Port.tcp(5432))).as("web has no port named sql").isFalse();
    }

    @Test
    void anIpBlockMatchesItsAddressesButNotItsExceptions() throws Exception {
        var policies = policies("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web-out, namespace: shop}
                spec:
                  podSelector: {matchLabels: {app: web}}
                  policyTypes: [Egress]
                  egress:
                    - to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]
                """);
        assertThat(allowed(policies, WEB, Endpoint.address("api", "10.2.3.4"), Port.tcp(443))).isTrue();
        assertThat(allowed(policies, WEB, Endpoint.address("api", "10.1.3.4"), Port.tcp(443))).isFalse();
        assertThat(allowed(policies, WEB, Endpoint.address("api", "192.168.0.1"), Port.tcp(443))).isFalse();
        assertThat(allowed(policies, WEB, DB, Port.tcp(5432))).as("an ipBlock does not select pods").isFalse();
    }

    private static boolean allowed(NetworkPolicies policies, Endpoint from, Endpoint to, Port port) {
        return policies.evaluate(new Flow("test", from, to, port)).allowed();
    }

    private static NetworkPolicies policies(String yaml) throws Exception {
        List<JsonNode> documents = Manifests.parse(yaml);
        return new NetworkPolicies(documents, NAMESPACES);
    }
}
