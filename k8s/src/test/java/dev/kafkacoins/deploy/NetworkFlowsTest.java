package dev.kafkacoins.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each overlay's NetworkPolicies, with the ones Strimzi writes, let through exactly the connections the system
 * needs (NetworkFlows' table) on a cluster whose single Strimzi operator runs in the namespace kafkacoins.
 */
@Timeout(120)
class NetworkFlowsTest {

    static final String OPERATOR_NAMESPACE = "kafkacoins";

    @ParameterizedTest
    @ValueSource(strings = {"dev", "dev-keda", "prod", "prod-cpu-hpa", "staging"})
    void theNeededFlowsAreAllowedAndTheOthersRefused(String overlay) throws Exception {
        List<JsonNode> cluster = withKafkaCli(KubernetesManifestsTest.render(overlay));
        assertThat(NetworkFlows.check(cluster, OPERATOR_NAMESPACE)).isEmpty();
        // The table grows with the nodes: prod's six Kafka pods give it several times dev's one.
        NetworkFlows.Cluster table = NetworkFlows.Cluster.of(cluster, OPERATOR_NAMESPACE);
        assertThat(table.mustAllow()).hasSizeGreaterThanOrEqualTo(overlay.startsWith("prod") ? 90 : 40);
        assertThat(table.mustDeny()).hasSizeGreaterThanOrEqualTo(25);
    }

    /** The overlay plus the README's kafka-cli pod, applied in the overlay's namespace. */
    static List<JsonNode> withKafkaCli(List<JsonNode> rendered) {
        List<JsonNode> cluster = new ArrayList<>(rendered);
        String namespace = rendered.getFirst().at("/metadata/namespace").asText();
        for (JsonNode pod : Manifests.read(KubernetesManifestsTest.K8S.resolve("tools/kafka-cli.yaml"))) {
            ((ObjectNode) pod.path("metadata")).put("namespace", namespace);
            cluster.add(pod);
        }
        return cluster;
    }
}
