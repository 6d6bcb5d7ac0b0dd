package dev.kafkacoins.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The manifests in strimzi/ as the repository holds them and as each overlay renders. */
class StrimziManifestsTest {

    static final Path STRIMZI = Path.of(System.getProperty("user.dir")).resolveSibling("strimzi");

    @Test
    void everyStrimziDocumentIsOfV1AndHasNoFieldStrimzisModelDoesNotKnow() throws IOException {
        List<Path> files = yamlFiles();
        assertThat(files).hasSizeGreaterThanOrEqualTo(6);
        int checked = 0;
        for (Path file : files) {
            for (JsonNode document : Manifests.read(file)) {
                if (!StrimziModel.isStrimzi(document)) {
                    // The metrics rules' ConfigMap, a built-in kind.
                    assertThat(Models.problems(document)).as(STRIMZI.relativize(file).toString()).isEmpty();
                    continue;
                }
                assertThat(StrimziModel.problems(document)).as(STRIMZI.relativize(file).toString()).isEmpty();
                checked++;
            }
        }
        // 1 Kafka, 8 topics, 6 users, the dev patch, 1 dev pool, 2 prod pools
        assertThat(checked).isEqualTo(19);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void eachOverlayRendersToOneLabelledClusterWithTheRegistrysTopicsAndLeastPrivilegeUsers(String overlay)
            throws Exception {
        List<JsonNode> rendered = render(overlay);
        assertThat(rendered).allSatisfy(d -> assertThat(Models.problems(d)).isEmpty());
        assertThat(StrimziChecks.clusterLabels(rendered)).isEmpty();
        assertThat(StrimziChecks.topics(rendered)).isEmpty();
        assertThat(StrimziChecks.acls(rendered)).isEmpty();
        assertThat(StrimziChecks.kafkaExporter(rendered)).isEmpty();
        assertThat(DeploymentChecks.configMapReferences(rendered)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyNodeExportsItsMetricsThroughTheRulesInTheRepositoryAndTheExporterHasTheProjectsLag(String overlay)
            throws Exception {
        List<JsonNode> rendered = render(overlay);
        JsonNode kafka = kind(rendered, "Kafka").getFirst();
        // In spec.kafka, so every node pool gets it: the controllers' quorum metrics as well as the brokers'.
        assertThat(kafka.at("/spec/kafka/metricsConfig/type").asText()).isEqualTo("jmxPrometheusExporter");
        assertThat(kind(rendered, "KafkaNodePool")).allSatisfy(pool -> assertThat(pool.at("/spec/metricsConfig")
                .isMissingNode()).as("a pool does not override the Kafka's metrics").isTrue());
        assertThat(kind(rendered, "ConfigMap")).extracting(c -> c.at("/metadata/name").asText())
                .containsExactly("kafka-metrics");
        assertThat(StrimziNetwork.kafkaNodes(rendered)).allSatisfy(node -> assertThat(node.namedPorts())
                .containsKey(StrimziNetwork.METRICS_PORT_NAME));
        assertThat(StrimziNetwork.kafkaExporter(rendered)).isPresent();
    }

    @Test
    void devIsOneDualRoleNodeOnAVolumeWithReplicationOne() throws Exception {
        List<JsonNode> rendered = render("dev");
        List<JsonNode> pools = kind(rendered, "KafkaNodePool");
        assertThat(pools).singleElement().satisfies(pool -> {
            assertThat(pool.at("/spec/replicas").asInt()).isEqualTo(1);
            assertThat(pool.at("/spec/roles").toString()).isEqualTo("[\"controller\",\"broker\"]");
            // Deleting the broker pod (the walkthrough's step) must not wipe topics, offsets and users.
            assertThat(pool.at("/spec/storage/type").asText()).isEqualTo("persistent-claim");
            assertThat(pool.at("/spec/storage/deleteClaim").asBoolean()).isFalse();
        });
        JsonNode config = kind(rendered, "Kafka").getFirst().at("/spec/kafka/config");
        assertThat(config.path("default.replication.factor").asInt()).isEqualTo(1);
        assertThat(config.path("min.insync.replicas").asInt()).isEqualTo(1);
        assertThat(config.path("transaction.state.log.replication.factor").asInt()).isEqualTo(1);
    }

    @Test
    void prodIsThreeControllersAndThreeBrokersOnVolumesWithReplicationThreeAndTwoInSync() throws Exception {
        List<JsonNode> rendered = render("prod");
        List<JsonNode> pools = kind(rendered, "KafkaNodePool");
        assertThat(pools).hasSize(2).allSatisfy(pool -> {
            assertThat(pool.at("/spec/replicas").asInt()).isEqualTo(3);
            assertThat(pool.at("/spec/storage/type").asText()).isEqualTo("persistent-claim");
        });
        assertThat(pools).extracting(p -> p.at("/spec/roles").toString())
                .containsExactlyInAnyOrder("[\"controller\"]", "[\"broker\"]");
        JsonNode config = kind(rendered, "Kafka").getFirst().at("/spec/kafka/config");
        assertThat(config.path("default.replication.factor").asInt()).isEqualTo(3);
        assertThat(config.path("min.insync.replicas").asInt()).isEqualTo(2);
        assertThat(config.path("transaction.state.log.replication.factor").asInt()).isEqualTo(3);
        assertThat(config.path("transaction.state.log.min.isr").asInt()).isEqualTo(2);
    }

    static List<JsonNode> render(String overlay) throws Exception {
        return Manifests.render(STRIMZI.resolve(overlay));
    }

    static List<JsonNode> kind(List<JsonNode> documents, String kind) {
        return Workloads.ofKind(documents, kind);
    }

    private static List<Path> yamlFiles() throws IOException {
        try (Stream<Path> paths = Files.walk(STRIMZI)) {
            return paths.filter(p -> p.toString().endsWith(".yaml") && !KubernetesManifestsTest.isHelmValues(p))
                    .filter(p -> !p.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
        }
    }
}
