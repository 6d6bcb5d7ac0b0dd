package dev.kafkacoins.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Each check fails on a mistake seeded into otherwise good manifests, and names it: a check that cannot fail
 * proves nothing. The fixtures are in src/test/resources/seeded-mistakes; each replaces the resource of the same
 * kind and name in the rendered dev overlay.
 */
class SeededMistakesTest {

    @Test
    void aMisspeltFieldIsReportedWithItsPath() {
        assertThat(StrimziModel.problems(fixture("misspelt-field.yaml")))
                .containsExactly("KafkaTopic/miner.blocks: unknown field spec.partitons");
    }

    @Test
    void anUnknownFieldDeepInsideAnAclIsReportedWithItsPath() {
        assertThat(StrimziModel.problems(fixture("nested-unknown-field.yaml")))
                .containsExactly("KafkaUser/sink: unknown field spec.authorization.acls[0].operation");
    }

    @Test
    void anApiVersionTheOperatorNoLongerServesIsReported() {
        assertThat(StrimziModel.problems(fixture("old-api-version.yaml")))
                .containsExactly("KafkaTopic/miner.blocks: apiVersion kafka.strimzi.io/v1beta2, this cluster's "
                        + "operator serves kafka.strimzi.io/v1");
    }

    @Test
    void aResourceLabelledForAnotherClusterIsReported() throws Exception {
        assertThat(StrimziChecks.clusterLabels(devWith("wrong-cluster-label.yaml"))).containsExactly(
                "KafkaTopic/miner.coins: label strimzi.io/cluster=my-cluster does not name the Kafka kafkacoins");
    }

    @Test
    void aTopicThatDisagreesWithTheRegistryIsReported() throws Exception {
        assertThat(StrimziChecks.topics(devWith("topic-off-registry.yaml"))).containsExactlyInAnyOrder(
                "KafkaTopic miner.totals: partitions 12, the registry says 6",
                "KafkaTopic miner.totals: cleanup.policy delete, the registry says compact");
    }

    @Test
    void aMissingTopicIsReported() throws Exception {
        List<JsonNode> rendered = new ArrayList<>(StrimziManifestsTest.render("dev"));
        rendered.removeIf(d -> Manifests.name(d).equals("KafkaTopic/miner.hashes.dlq"));
        assertThat(StrimziChecks.topics(rendered))
                .containsExactly("KafkaTopic miner.hashes.dlq is missing (it is in the topic registry)");
    }

    @Test
    void aGrantBeyondWhatTheServiceUsesIsReported() throws Exception {
        assertThat(StrimziChecks.acls(devWith("hasher-granted-too-much.yaml"))).containsExactly(
                "KafkaUser hasher is granted more than it uses: topic miner.* [all]");
    }

    @Test
    void aGrantTheServiceNeedsButLacksIsReported() throws Exception {
        assertThat(StrimziChecks.acls(devWith("sink-lacking-coins.yaml")))
                .containsExactly("KafkaUser sink lacks topic miner.coins [describe, read]");
    }

    private static List<JsonNode> devWith(String fixture) throws Exception {
        JsonNode replacement = fixture(fixture);
        List<JsonNode> rendered = new ArrayList<>(StrimziManifestsTest.render("dev"));
        int at = -1;
        for (int i = 0; i < rendered.size(); i++) {
            if (Manifests.name(rendered.get(i)).equals(Manifests.name(replacement))) {
                at = i;
            }
        }
        assertThat(at).as("the dev overlay has " + Manifests.name(replacement)).isNotNegative();
        rendered.set(at, replacement);
        return rendered;
    }

    private static JsonNode fixture(String name) {
        try {
            Path file = Path.of(Objects.requireNonNull(SeededMistakesTest.class.getResource("/seeded-mistakes/" + name),
                    name).toURI());
            return Manifests.read(file).getFirst();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
