package dev.kafkacoins.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.testsupport.PostgresBinaries;
import dev.kafkacoins.testsupport.RequiredTool;
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
        assertThat(StrimziChecks.kafkaExporter(rendered)).isEmpty();
        assertThat(DeploymentChecks.secretReferences(rendered)).isEmpty();
        assertThat(DeploymentChecks.configMapReferences(rendered)).isEmpty();
        assertThat(DeploymentChecks.kafkaAddress(rendered)).isEmpty();
        assertThat(DeploymentChecks.autoscaling(rendered)).isEmpty();
        assertThat(DeploymentChecks.podHardening(rendered)).isEmpty();
        assertThat(DeploymentChecks.managementPort(rendered)).isEmpty();
        assertThat(ApiRules.check(rendered)).isEmpty();
        assertThat(MonitoringChecks.podMonitors(rendered, NetworkFlowsTest.OPERATOR_NAMESPACE)).isEmpty();
        String namespace = overlay.equals("staging") ? "kafkacoins-staging" : "kafkacoins";
        assertThat(rendered).allSatisfy(d -> assertThat(d.at("/metadata/namespace").asText()).isEqualTo(namespace));
        assertThat(Workloads.pods(rendered)).extracting(Workloads.Pod::service).containsExactlyInAnyOrder(
                "rng", "hasher", "aggregator", "sink", "webui", "db-migrations", "postgres");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "dev-keda", "prod", "prod-cpu-hpa", "staging"})
    void eachOverlayRunsTheImagesThisBuildMadeAsTheirNonRootUserOnTheirPorts(String overlay) throws Exception {
        List<JibImages.Image> built = JibImages.find(ROOT);
        RequiredTool.require(!built.isEmpty(), "image tars under */target/jib (the image checks of k8s/" + overlay
                + ")", "build them with ./mvnw verify from the root (each module's verify phase runs Jib)");
        String prefix = rootProperty("image.registry") + "/";
        String tag = ":" + rootProperty("image.tag");
        assertThat(built).extracting(JibImages.Image::reference).containsExactlyInAnyOrderElementsOf(Stream.of(
                "rng", "hasher", "aggregator", "sink", "webui", "db-migrations").map(n -> prefix + n + tag).toList());
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
    void theProductionOverlaysHavePodMonitorsForEveryMetricsPortAndTheAlertRulesAndTheOthersNone() throws Exception {
        for (String overlay : List.of("prod", "prod-cpu-hpa")) {
            List<JsonNode> rendered = render(overlay);
            assertThat(kind(rendered, "PodMonitor")).as(overlay).extracting(d -> d.at("/metadata/name").asText())
                    .containsExactlyInAnyOrder("kafkacoins-services", "kafka-resources", "entity-operator",
                            "cluster-operator");
            // The 5 Actuators, 6 Kafka nodes, the Kafka Exporter, the topic, user and cluster operators.
            assertThat(MonitoringChecks.expected(NetworkFlows.Cluster.of(rendered,
                    NetworkFlowsTest.OPERATOR_NAMESPACE))).as(overlay).hasSize(15);
            assertThat(MonitoringChecks.podMonitors(rendered, NetworkFlowsTest.OPERATOR_NAMESPACE)).as(overlay)
                    .isEmpty();
            // The rules the local stack loads, as the operator gets them (the schema check is the one above).
            assertThat(kind(rendered, "PrometheusRule")).as(overlay).singleElement().satisfies(rule -> assertThat(
                    rule.path("spec")).isEqualTo(AlertRules.spec(AlertRules.manifest(ROOT))));
        }
        // A cluster without the Prometheus Operator's CRDs would refuse the whole apply.
        for (String overlay : List.of("dev", "dev-keda", "staging")) {
            assertThat(render(overlay)).as(overlay).noneMatch(MonitoringCrds::isMonitoring);
        }
    }

    /** What an administrator applies once in staging; the pipeline's apply only compares them. */
    static final Set<String> SET_UP_ONCE = Set.of("apps/statefulsets", "networking.k8s.io/networkpolicies",
            "kafka.strimzi.io/kafkas", "kafka.strimzi.io/kafkanodepools");

    @Test
    void thePipelinesDeployerAppliesWhatChangesWithACommitReadsTheRestAndHasNoSecretNorRbac() throws Exception {
        List<JsonNode> rbac = Manifests.read(ROOT.resolve("jenkins/deployer-rbac.yaml"));
        assertThat(rbac).allSatisfy(d -> assertThat(Models.problems(d)).isEmpty());
        JsonNode role = kind(rbac, "Role").getFirst();
        List<JsonNode> staging = render("staging");
        assertThat(role.at("/metadata/namespace").asText()).isEqualTo("kafkacoins-staging");
        for (JsonNode document : staging) {
            String group = document.path("apiVersion").asText().contains("/")
                    ? document.path("apiVersion").asText().replaceFirst("/.*", "") : "";
            String resource = group + "/" + plural(document.path("kind").asText());
            Set<String> verbs = verbs(role, resource);
            assertThat(verbs).as(resource).contains("get", "list");
            if (SET_UP_ONCE.contains(resource)) {
                assertThat(verbs).as(resource + " is set up once by an administrator").doesNotContain("create",
                        "patch", "update", "delete");
            } else {
                assertThat(verbs).as(resource).contains("create", "patch");
            }
        }
        assertThat(verbs(role, "/pods/log")).as("diagnosis").contains("get");
        assertThat(verbs(role, "/events")).as("diagnosis").contains("list", "watch");
        assertThat(role.path("rules")).noneSatisfy(rule -> assertThat(rule.toString())
                .containsAnyOf("secrets", "\"*\"", "roles", "rolebindings", "escalate", "bind", "impersonate"));
    }

    @Test
    void theNamespacesEnforceTheRestrictedPodSecurityStandard() throws Exception {
        List<JsonNode> namespaces = Manifests.read(K8S.resolve("cluster/namespaces.yaml"));
        assertThat(namespaces).extracting(n -> n.at("/metadata/name").asText())
                .containsExactlyInAnyOrder("kafkacoins", "kafkacoins-staging");
        assertThat(namespaces).allSatisfy(n -> assertThat(n.at("/metadata/labels")
                .path("pod-security.kubernetes.io/enforce").asText()).isEqualTo("restricted"));
    }

    /** The verbs a Role grants on group/resource. */
    private static Set<String> verbs(JsonNode role, String resource) {
        Set<String> verbs = new HashSet<>();
        String group = resource.substring(0, resource.indexOf('/'));
        String name = resource.substring(resource.indexOf('/') + 1);
        for (JsonNode rule : role.path("rules")) {
            boolean groupOk = Workloads.list(rule.path("apiGroups")).stream().anyMatch(g -> g.asText().equals(group));
            boolean resourceOk = Workloads.list(rule.path("resources")).stream().anyMatch(r -> r.asText().equals(name));
            if (groupOk && resourceOk) {
                rule.path("verbs").forEach(v -> verbs.add(v.asText()));
            }
        }
        return verbs;
    }

    private static String plural(String kind) {
        String lower = kind.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith("y") ? lower.substring(0, lower.length() - 1) + "ies" : lower + "s";
    }

    static List<JsonNode> render(String overlay) throws Exception {
        return Manifests.render(K8S.resolve(overlay));
    }

    /** A property of the root pom, as written there. */
    static String rootProperty(String name) throws IOException {
        Matcher value = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(
                Files.readString(ROOT.resolve("pom.xml")));
        assertThat(value.find()).as(name + " in the root pom").isTrue();
        return value.group(1).trim();
    }

    static List<JsonNode> kind(List<JsonNode> documents, String kind) {
        return Workloads.ofKind(documents, kind);
    }

    /** The PostgreSQL major version the build tests against: that of the embedded binaries Maven resolved. */
    static int postgresMajor() {
        return PostgresBinaries.major();
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

    /** Helm values for Strimzi's chart: YAML, but no Kubernetes resource. */
    static boolean isHelmValues(Path file) {
        return file.getFileName().toString().equals("helm-values.yaml");
    }

    private static List<Path> yamlFiles() throws IOException {
        try (Stream<Path> k8s = Files.walk(K8S); Stream<Path> strimzi = Files.walk(ROOT.resolve("strimzi"));
             Stream<Path> jenkins = Files.list(ROOT.resolve("jenkins"))) {
            return Stream.concat(Stream.concat(k8s, strimzi), jenkins)
                    .filter(p -> p.toString().endsWith(".yaml") && !isHelmValues(p))
                    .filter(p -> !p.startsWith(K8S.resolve("src")) && !p.startsWith(K8S.resolve("target")))
                    .sorted().toList();
        }
    }
}
