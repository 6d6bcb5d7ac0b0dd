package dev.kafkacoins.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkacoins.protocol.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The manifests in k8s/ as the repository holds them and as each overlay renders, Strimzi's part included. */
class KubernetesManifestsTest {

    static final Path K8S = Path.of(System.getProperty("user.dir"));
    static final Path ROOT = K8S.getParent();

    @Test
    void everyDocumentInTheRepositoryParsesWithNoUnknownFieldAndNoSecret() throws IOException {
        List<Path> files = yamlFiles();
        Set<Path> patches = patchFiles(files);
        assertThat(patches).isNotEmpty();
        int checked = 0;
        for (Path file : files) {
            for (JsonNode document : Manifests.read(file)) {
                if (document.path("kind").asText().equals("Kustomization")
                        || document.path("kind").asText().equals("Component")) {
                    continue;
                }
                List<String> problems = new ArrayList<>(Models.problems(document));
                if (patches.contains(file)) {
                    // A patch is a partial document: its fields are checked, the required ones it leaves out are
                    // not (the rendered overlays are checked whole below).
                    problems.removeIf(p -> p.contains(": required property "));
                }
                assertThat(problems).as(ROOT.relativize(file).toString()).isEmpty();
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(40);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "dev-keda", "prod", "prod-cpu-hpa", "staging"})
    void eachOverlayRendersToResourcesThatParseAndReferToEachOtherAndToTheCode(String overlay) throws Exception {
        List<JsonNode> rendered = render(overlay);
        assertThat(rendered).allSatisfy(d -> assertThat(Models.problems(d)).isEmpty());
        assertThat(StrimziChecks.clusterLabels(rendered)).isEmpty();
        assertThat(StrimziChecks.topics(rendered)).isEmpty();
        assertThat(StrimziChecks.acls(rendered)).isEmpty();
        assertThat(DeploymentChecks.secretReferences(rendered)).isEmpty();
        assertThat(DeploymentChecks.configMapReferences(rendered)).isEmpty();
        assertThat(DeploymentChecks.kafkaAddress(rendered)).isEmpty();
        assertThat(DeploymentChecks.autoscaling(rendered)).isEmpty();
        assertThat(DeploymentChecks.podHardening(rendered)).isEmpty();
        String namespace = overlay.equals("staging") ? "kafkacoins-staging" : "kafkacoins";
        assertThat(rendered).allSatisfy(d -> assertThat(d.at("/metadata/namespace").asText()).isEqualTo(namespace));
        assertThat(Workloads.pods(rendered)).extracting(Workloads.Pod::service).containsExactlyInAnyOrder(
                "rng", "hasher", "aggregator", "sink", "webui", "db-migrations", "postgres");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "dev-keda", "prod", "prod-cpu-hpa", "staging"})
    void eachOverlayRunsTheImagesThisBuildMadeAsTheirNonRootUserOnTheirPorts(String overlay) throws Exception {
        List<JibImages.Image> built = JibImages.find(ROOT);
        assumeTrue(!built.isEmpty(), "no image tars under */target/jib: build them with ./mvnw verify from the root "
                + "(each module's verify phase runs Jib); image checks of k8s/" + overlay + " skipped");
        assertThat(built).extracting(JibImages.Image::reference).containsExactlyInAnyOrder(
                "localhost:5001/kafkacoins/rng:dev", "localhost:5001/kafkacoins/hasher:dev",
                "localhost:5001/kafkacoins/aggregator:dev", "localhost:5001/kafkacoins/sink:dev",
                "localhost:5001/kafkacoins/webui:dev", "localhost:5001/kafkacoins/db-migrations:dev");
        assertThat(ImageChecks.check(render(overlay), built, postgresMajor())).isEmpty();
    }

    @Test
    void prodScalesTheHashersWithKedaOnLagUpToThePartitionsAndTheVariantOnCpu() throws Exception {
        List<JsonNode> prod = render("prod");
        JsonNode scaler = kind(prod, "ScaledObject").getFirst();
        assertThat(scaler.at("/spec/maxReplicaCount").asInt()).isEqualTo(Topics.BLOCKS.partitions());
        assertThat(scaler.at("/spec/triggers/0/metadata/consumerGroup").asText()).isEqualTo("hasher");
        assertThat(kind(prod, "Deployment")).filteredOn(d -> d.at("/metadata/name").asText()
                .equals("hasher")).singleElement().satisfies(d -> assertThat(d.at("/spec/replicas").isMissingNode())
                .as("the autoscaler owns the hasher count").isTrue());
        List<JsonNode> cpu = render("prod-cpu-hpa");
        JsonNode hpa = kind(cpu, "HorizontalPodAutoscaler").getFirst();
        assertThat(hpa.at("/spec/maxReplicas").asInt()).isEqualTo(Topics.BLOCKS.partitions());
        assertThat(kind(cpu, "ScaledObject")).isEmpty();
        assertThat(kind(cpu, "KafkaUser")).extracting(u -> u.at("/metadata/name").asText())
                .doesNotContain(DeploymentChecks.KEDA_USER);
    }

    @Test
    void prodHasBudgetsSpreadAndAnIngressAndDevHasNone() throws Exception {
        List<JsonNode> prod = render("prod");
        assertThat(kind(prod, "PodDisruptionBudget")).extracting(d -> d.at("/metadata/name").asText())
                .containsExactlyInAnyOrder("hasher", "aggregator", "sink", "webui");
        assertThat(kind(prod, "Deployment")).allSatisfy(d -> assertThat(
                d.at("/spec/template/spec/topologySpreadConstraints")).isNotEmpty());
        assertThat(kind(prod, "Ingress")).singleElement().satisfies(i -> assertThat(
                i.at("/spec/rules/0/http/paths/0/backend/service/name").asText()).isEqualTo("webui"));
        List<JsonNode> dev = render("dev");
        assertThat(kind(dev, "PodDisruptionBudget")).isEmpty();
        assertThat(kind(dev, "Ingress")).isEmpty();
    }

    @Test
    void thePipelinesDeployerMayApplyEveryKindOfTheStagingOverlayInItsNamespaceAndNoSecret() throws Exception {
        List<JsonNode> rbac = Manifests.read(ROOT.resolve("jenkins/deployer-rbac.yaml"));
        assertThat(rbac).allSatisfy(d -> assertThat(Models.problems(d)).isEmpty());
        JsonNode role = kind(rbac, "Role").getFirst();
        List<JsonNode> staging = render("staging");
        assertThat(role.at("/metadata/namespace").asText()).isEqualTo("kafkacoins-staging");
        for (JsonNode document : staging) {
            String group = document.path("apiVersion").asText().contains("/")
                    ? document.path("apiVersion").asText().replaceFirst("/.*", "") : "";
            String plural = plural(document.path("kind").asText());
            assertThat(role.path("rules")).as(group + "/" + plural).anySatisfy(rule -> {
                assertThat(rule.path("apiGroups").toString()).contains("\"" + group + "\"");
                assertThat(rule.path("resources").toString()).contains("\"" + plural + "\"");
                assertThat(rule.path("verbs").toString()).contains("\"create\"", "\"patch\"", "\"get\"");
            });
        }
        assertThat(role.path("rules")).noneSatisfy(rule -> assertThat(rule.path("resources").toString())
                .containsAnyOf("secrets", "*"));
    }

    private static String plural(String kind) {
        String lower = kind.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith("y") ? lower.substring(0, lower.length() - 1) + "ies" : lower + "s";
    }

    static List<JsonNode> render(String overlay) throws Exception {
        assumeTrue(Manifests.kubectl().isPresent(),
                "kubectl is not on the PATH: kustomize rendering of k8s/" + overlay + " not checked");
        return Manifests.render(K8S.resolve(overlay));
    }

    static List<JsonNode> kind(List<JsonNode> documents, String kind) {
        return Workloads.ofKind(documents, kind);
    }

    /** The PostgreSQL major version the build tests against: the root pom's postgresql-binaries.version. */
    static int postgresMajor() throws IOException {
        Matcher version = Pattern.compile("<postgresql-binaries.version>(\\d+)\\.")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertThat(version.find()).as("postgresql-binaries.version in the root pom").isTrue();
        return Integer.parseInt(version.group(1));
    }

    /** Files that a kustomization names under {@code patches}. */
    private static Set<Path> patchFiles(List<Path> files) {
        Set<Path> patches = new HashSet<>();
        for (Path file : files) {
            if (file.getFileName().toString().equals("kustomization.yaml")) {
                Manifests.read(file).getFirst().path("patches").forEach(patch -> {
                    if (patch.has("path")) {
                        patches.add(file.resolveSibling(patch.path("path").asText()).normalize());
                    }
                });
            }
        }
        return patches;
    }

    private static List<Path> yamlFiles() throws IOException {
        try (Stream<Path> k8s = Files.walk(K8S); Stream<Path> strimzi = Files.walk(ROOT.resolve("strimzi"));
             Stream<Path> jenkins = Files.list(ROOT.resolve("jenkins"))) {
            return Stream.concat(Stream.concat(k8s, strimzi), jenkins)
                    .filter(p -> p.toString().endsWith(".yaml"))
                    .filter(p -> !p.startsWith(K8S.resolve("src")) && !p.startsWith(K8S.resolve("target")))
                    .sorted().toList();
        }
    }
}
