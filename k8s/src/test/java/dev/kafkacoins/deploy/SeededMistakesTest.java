package dev.kafkacoins.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kafkacoins.testsupport.RequiredTool;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.TreeSet;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
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

    @Test
    void whatTheModelAcceptsButTheCrdSchemaRefusesIsReported() {
        // Jackson reads "6" as 6 and Strimzi's model has no bounds: only the CRD's schema catches these.
        JsonNode topic = fixture("topic-quoted-partitions.yaml");
        assertThat(StrimziModel.problems(topic)).isEmpty();
        assertThat(Models.problems(topic)).containsExactlyInAnyOrder(
                "KafkaTopic/miner.blocks: $.spec.partitions: string found, integer expected",
                "KafkaTopic/miner.blocks: $.spec.replicas: must have a minimum value of 1");
    }

    @Test
    void theCrdSchemaAloneAlsoRejectsAnUnknownField() {
        assertThat(Models.strimziCrds().problems(fixture("nested-unknown-field.yaml"))).containsExactly(
                "KafkaUser/sink: $.spec.authorization.acls[0]: property 'operation' is not defined in the schema and "
                        + "the schema does not allow additional properties",
                "KafkaUser/sink: $.spec.authorization.acls[0]: required property 'operations' not found");
    }

    @Test
    void aMisspeltFieldInADeploymentIsReportedWithItsPath() {
        assertThat(Models.problems(fixture("hasher-misspelt-probe.yaml"))).containsExactly(
                "Deployment/hasher: unknown field spec.template.spec.containers[0].readinesProbe");
    }

    @Test
    void aSecretInTheRepositoryIsRefused() {
        assertThat(Models.problems(fixture("a-secret.yaml"))).containsExactly("Secret/postgres-credentials: a Secret "
                + "in the manifests; create it in the cluster and refer to it by name");
    }

    @Test
    void kedaMetadataThatIsNotAStringOrNotReadByTheScalerIsReported() {
        assertThat(Models.problems(fixture("keda-unquoted-metadata.yaml"))).containsExactlyInAnyOrder(
                "ScaledObject/hasher: spec.triggers[0].metadata.allowIdleConsumers must be a string, got boolean false",
                "ScaledObject/hasher: the kafka trigger does not read metadata.lagTreshold");
    }

    @Test
    void anAutoscalerBeyondThePartitionsOnTheWrongTopicTargetAndPortIsReported() throws Exception {
        List<JsonNode> rendered = KubernetesManifestsTest.render("prod");
        replace(rendered, fixture("keda-beyond-partitions.yaml"));
        assertThat(DeploymentChecks.autoscaling(rendered)).containsExactlyInAnyOrder(
                "ScaledObject/hasher: scaleTargetRef names Deployment hashers, which the overlay does not have",
                "ScaledObject/hasher: maxReplicaCount 10, miner.blocks has 6 partitions",
                "ScaledObject/hasher: the trigger reads topic miner.hashes, the hashers consume miner.blocks");
        assertThat(DeploymentChecks.kafkaAddress(rendered)).containsExactly("ScaledObject/hasher: bootstrapServers is "
                + "kafkacoins-kafka-bootstrap:9092, KEDA reads it from its own namespace: the TLS/SCRAM listener there "
                + "is kafkacoins-kafka-bootstrap.kafkacoins.svc:9093");
    }

    @Test
    void aShortKafkaAddressInKedasTriggerIsReported() throws Exception {
        // The mistake of issue 15: the scaler runs in KEDA's namespace, where the short name does not resolve.
        List<JsonNode> rendered = KubernetesManifestsTest.render("dev-keda");
        ((ObjectNode) document(rendered, "ScaledObject/hasher").at("/spec/triggers/0/metadata"))
                .put("bootstrapServers", "kafkacoins-kafka-bootstrap:9093");
        assertThat(DeploymentChecks.kafkaAddress(rendered)).containsExactly("ScaledObject/hasher: bootstrapServers is "
                + "kafkacoins-kafka-bootstrap:9093, KEDA reads it from its own namespace: the TLS/SCRAM listener "
                + "there is kafkacoins-kafka-bootstrap.kafkacoins.svc:9093");
    }

    @Test
    void aNamePrefixBreaksTheSecretReferencesAndIsReported() throws Exception {
        // Rendered from the source folder: its kustomization points at ../dev by a path relative to it.
        List<JsonNode> rendered = Manifests.render(
                KubernetesManifestsTest.K8S.resolve("src/test/resources/seeded-mistakes/name-prefix"));
        assertThat(DeploymentChecks.secretReferences(rendered)).contains(
                "Deployment/team-a-rng refers to Secret rng, which is neither a KafkaUser's, the cluster CA's nor "
                        + "one of [postgres-credentials]",
                "Deployment/team-a-rng refers to Secret kafkacoins-cluster-ca-cert, which is neither a KafkaUser's, "
                        + "the cluster CA's nor one of [postgres-credentials]");
    }

    @Test
    void aPodUsingAnotherServicesKafkaUserOrAMissingKeyIsReported() throws Exception {
        List<JsonNode> rendered = KubernetesManifestsTest.render("dev");
        ObjectNode jaas = (ObjectNode) env(container(rendered, "rng"), "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG")
                .at("/valueFrom/secretKeyRef");
        jaas.put("name", "hasher");
        ObjectNode password = (ObjectNode) env(container(rendered, "sink"), "SPRING_DATASOURCE_PASSWORD")
                .at("/valueFrom/secretKeyRef");
        password.put("key", "passwd");
        assertThat(DeploymentChecks.secretReferences(rendered)).containsExactlyInAnyOrder(
                "Deployment/rng uses the KafkaUser Secret hasher: a service uses only its own user (rng)",
                "Deployment/sink refers to key passwd of Secret postgres-credentials, which has [migrations-password, "
                        + "sink-password, superuser-password, webui-password]",
                "Deployment/sink reads passwd of Secret postgres-credentials: a service logs in only as its own "
                        + "database role (sink-password)");
    }

    @Test
    void aPodLoggingInAsAnotherServicesDatabaseRoleIsReported() throws Exception {
        List<JsonNode> rendered = KubernetesManifestsTest.render("dev");
        for (JsonNode env : container(rendered, "webui").path("env")) {
            if (env.path("name").asText().equals("SPRING_R2DBC_PASSWORD")) {
                ((ObjectNode) env.at("/valueFrom/secretKeyRef")).put("key", "sink-password");
            }
        }
        assertThat(DeploymentChecks.secretReferences(rendered)).containsExactly("Deployment/webui reads sink-password "
                + "of Secret postgres-credentials: a service logs in only as its own database role (webui-password)");
    }

    @Test
    void aMissingConfigMapKeyIsReported() throws Exception {
        List<JsonNode> rendered = KubernetesManifestsTest.render("dev");
        rendered.removeIf(d -> Manifests.name(d).equals("ConfigMap/database-client"));
        assertThat(DeploymentChecks.configMapReferences(rendered)).contains(
                "Deployment/sink refers to ConfigMap database-client, which the overlay does not have",
                "Job/db-migrations refers to ConfigMap database-client, which the overlay does not have");
    }

    @Test
    void aPodThatCouldWriteItsRootOrMountAToken() throws Exception {
        List<JsonNode> rendered = KubernetesManifestsTest.render("dev");
        JsonNode webui = document(rendered, "Deployment/webui");
        ((ObjectNode) webui.at("/spec/template/spec")).put("automountServiceAccountToken", true);
        ((ObjectNode) container(rendered, "webui").path("securityContext")).remove("readOnlyRootFilesystem");
        ((ObjectNode) container(rendered, "webui").path("readinessProbe").path("httpGet")).put("path", "/");
        assertThat(DeploymentChecks.podHardening(rendered)).containsExactlyInAnyOrder(
                "Deployment/webui: automountServiceAccountToken is not false",
                "Deployment/webui container app: readOnlyRootFilesystem is not true",
                "Deployment/webui container app: the readiness probe is not the Actuator's /actuator/health/readiness");
    }

    @Test
    void anImageTheBuildDidNotMakeOrAUserPortPullPolicyOrMemoryLimitThatDoesNotFitItIsReported() throws Exception {
        List<JibImages.Image> built = JibImages.find(KubernetesManifestsTest.ROOT);
        RequiredTool.require(!built.isEmpty(), "image tars under */target/jib (the seeded image checks)",
                "build them with ./mvnw verify from the root (each module's verify phase runs Jib)");
        List<JsonNode> rendered = KubernetesManifestsTest.render("dev");
        ((ObjectNode) container(rendered, "rng")).put("image", "localhost:5001/kafkacoins/rng:latest");
        ((ObjectNode) container(rendered, "hasher").at("/ports/0")).put("containerPort", 8080);
        JsonNode sink = document(rendered, "Deployment/sink");
        ((ObjectNode) sink.at("/spec/template/spec/securityContext")).put("runAsUser", 1000);
        ((ObjectNode) container(rendered, "hasher")).put("imagePullPolicy", "IfNotPresent");
        ((ObjectNode) container(rendered, "webui").at("/resources/limits")).put("memory", "320Mi");
        assertThat(ImageChecks.check(rendered, built, 16)).containsExactlyInAnyOrder(
                "Deployment/hasher container app: image localhost:5001/kafkacoins/hasher:dev is a tag the build "
                        + "overwrites, pulled IfNotPresent (a rebuilt one never reaches the node)",
                "Deployment/webui container app: memory limit 320Mi, the image's heap 192 MiB needs at least 384Mi",
                "Deployment/rng container app: image localhost:5001/kafkacoins/rng:latest is not one Jib builds "
                        + built.stream().map(JibImages.Image::reference).collect(
                                Collectors.toCollection(TreeSet::new)),
                "image localhost:5001/kafkacoins/rng:dev is built but no pod runs it",
                "Deployment/hasher container app: port 8080 is not one the image exposes [8082]",
                "Deployment/sink container wait-for-schema: runs as 1000, the image's user is 65532:65532",
                "Deployment/sink container app: runs as 1000, the image's user is 65532:65532",
                "StatefulSet/postgres container postgres: image postgres:17-alpine, the build tests PostgreSQL 16");
    }

    @Test
    void aDefaultDenyThatSelectsStrimzisPodsCutsTheOperatorAndTheQuorumOffAndIsReported() throws Exception {
        List<JsonNode> rendered = NetworkFlowsTest.withKafkaCli(KubernetesManifestsTest.render("prod"));
        replace(rendered, fixture("default-deny-everything.yaml"));
        assertThat(NetworkFlows.check(rendered, NetworkFlowsTest.OPERATOR_NAMESPACE)).contains(
                "must be allowed, is refused: the cluster operator watches and writes resources "
                        + "(kafkacoins/strimzi-cluster-operator → the API server (172.18.0.2):6443/TCP): egress of "
                        + "kafkacoins/strimzi-cluster-operator allows it in none of [default-deny]",
                "must be allowed, is refused: a node reaches the controller quorum (kafkacoins/kafkacoins-brokers-0 → "
                        + "kafkacoins/kafkacoins-controllers-0:9090/TCP): egress of kafkacoins/kafkacoins-brokers-0 "
                        + "allows it in none of [default-deny]",
                "must be allowed, is refused: the entity operator manages topics and users "
                        + "(kafkacoins/kafkacoins-entity-operator → kafkacoins/kafkacoins-brokers-0:9091/TCP): egress "
                        + "of kafkacoins/kafkacoins-entity-operator allows it in none of [default-deny]",
                "must be allowed, is refused: the Kafka Exporter reads offsets and group lag "
                        + "(kafkacoins/kafkacoins-kafka-exporter → kafkacoins/kafkacoins-brokers-0:9091/TCP): egress "
                        + "of kafkacoins/kafkacoins-kafka-exporter allows it in none of [default-deny]");
    }

    @Test
    void aMetricsPolicyOpenToMonitoringOnEveryPortAndPodIsReported() throws Exception {
        List<JsonNode> rendered = NetworkFlowsTest.withKafkaCli(KubernetesManifestsTest.render("prod"));
        ObjectNode metrics = (ObjectNode) document(rendered, "NetworkPolicy/metrics").path("spec");
        metrics.putObject("podSelector");
        ((ObjectNode) metrics.at("/ingress/0")).remove("ports");
        // Selecting every pod, it also opens Strimzi's (their own policy admits only the operator and the nodes).
        assertThat(NetworkFlows.check(rendered, NetworkFlowsTest.OPERATOR_NAMESPACE)).containsExactlyInAnyOrder(
                "must be refused, is allowed: Prometheus reaches Kafka's replication port (monitoring/prometheus → "
                        + "kafkacoins/kafkacoins-brokers-0:9091/TCP)",
                "must be refused, is allowed: Prometheus reaches PostgreSQL (monitoring/prometheus → "
                        + "kafkacoins/postgres:5432/TCP)",
                "must be refused, is allowed: Prometheus reaches a service's application port (monitoring/prometheus "
                        + "→ kafkacoins/rng:8081/TCP)");
    }

    @Test
    void aDashboardPolicyOpenOnEveryPortExposesManagementAndIsReported() throws Exception {
        List<JsonNode> rendered = NetworkFlowsTest.withKafkaCli(KubernetesManifestsTest.render("dev"));
        ((ObjectNode) document(rendered, "NetworkPolicy/webui").at("/spec/ingress/0")).remove("ports");
        assertThat(NetworkFlows.check(rendered, NetworkFlowsTest.OPERATOR_NAMESPACE)).containsExactly(
                "must be refused, is allowed: the Ingress controller reaches the dashboard's management port "
                        + "(ingress-nginx/ingress-nginx-controller → kafkacoins/webui:8090/TCP)");
    }

    @Test
    void aSpreadKeyInBothTheSelectorAndMatchLabelKeysIsReported() throws Exception {
        // The mistake of issue 15: the API server refuses the overlap.
        List<JsonNode> rendered = KubernetesManifestsTest.render("prod");
        ObjectNode selector = (ObjectNode) document(rendered, "Deployment/sink")
                .at("/spec/template/spec/topologySpreadConstraints/0/labelSelector");
        selector.putArray("matchExpressions").addObject().put("key", "app.kubernetes.io/name").put("operator", "Exists");
        ((ObjectNode) document(rendered, "Deployment/webui")
                .at("/spec/template/spec/topologySpreadConstraints/0/labelSelector/matchLabels"))
                .put("app.kubernetes.io/part-of", "other");
        assertThat(ApiRules.check(rendered)).containsExactlyInAnyOrder(
                "Deployment/sink: topologySpreadConstraints names app.kubernetes.io/name in both matchLabelKeys and "
                        + "labelSelector",
                "Deployment/webui: topologySpreadConstraints' labelSelector does not select the workload's own pods");
    }

    @Test
    void aSelectorOffTheTemplateABudgetThatBlocksDrainsAndPortsNobodyHasAreReported() throws Exception {
        List<JsonNode> rendered = KubernetesManifestsTest.render("prod");
        ((ObjectNode) document(rendered, "Deployment/aggregator").at("/spec/selector/matchLabels"))
                .put("app.kubernetes.io/name", "aggregators");
        ObjectNode budget = (ObjectNode) document(rendered, "PodDisruptionBudget/webui").path("spec");
        budget.remove("maxUnavailable");
        budget.put("minAvailable", 2);
        ((ObjectNode) container(rendered, "sink").at("/readinessProbe/httpGet")).put("port", "managment");
        ((ObjectNode) document(rendered, "Service/webui").at("/spec/ports/0")).put("targetPort", "web");
        ((ObjectNode) document(rendered, "Ingress/webui").at("/spec/rules/0/http/paths/0/backend/service/port"))
                .put("name", "https");
        ((ObjectNode) container(rendered, "rng").at("/ports/1")).put("name", "prometheus-metrics");
        assertThat(ApiRules.check(rendered)).containsExactlyInAnyOrder(
                "Deployment/aggregator: spec.selector {\"matchLabels\":{\"app.kubernetes.io/name\":\"aggregators\"}} "
                        + "does not match the template's labels {app.kubernetes.io/name=aggregator, "
                        + "app.kubernetes.io/part-of=kafkacoins}",
                "PodDisruptionBudget/webui: minAvailable 2 with 2 replicas of Deployment/webui allows no eviction",
                "Deployment/sink container app: readinessProbe uses port managment, which the container does not "
                        + "have [http, management]",
                "Service/webui: targetPort web is not a port of Deployment/webui [http, management]",
                "Ingress/webui: backend port https is not a port of Service/webui",
                "Deployment/rng container app: port name prometheus-metrics is not a valid port name (at most 15 "
                        + "lowercase letters, digits and '-')");
    }

    @Test
    void whatPodSecurityRestrictedRefusesIsReported() throws Exception {
        List<JsonNode> rendered = KubernetesManifestsTest.render("dev");
        ObjectNode spec = (ObjectNode) document(rendered, "Deployment/aggregator").at("/spec/template/spec");
        spec.put("hostNetwork", true);
        spec.withArray("volumes").addObject().put("name", "state").putObject("hostPath").put("path", "/var/state");
        ((ObjectNode) container(rendered, "aggregator").at("/securityContext/capabilities")).putArray("add")
                .add("SYS_ADMIN");
        assertThat(ApiRules.check(rendered)).containsExactlyInAnyOrder(
                "Deployment/aggregator: hostNetwork is refused under Pod Security restricted",
                "Deployment/aggregator: volume state of type hostPath is refused under Pod Security restricted",
                "Deployment/aggregator container app: capability SYS_ADMIN is refused under Pod Security restricted");
    }

    @Test
    void anActuatorOnTheApplicationsPortOrBehindTheServiceIsReported() throws Exception {
        List<JsonNode> rendered = KubernetesManifestsTest.render("prod");
        JsonNode hasher = container(rendered, "hasher");
        ((ArrayNode) hasher.path("env")).removeIf(e -> e.path("name").asText().equals("MANAGEMENT_SERVER_PORT"));
        ((ObjectNode) container(rendered, "rng").at("/livenessProbe/httpGet")).put("port", "http");
        ((ObjectNode) document(rendered, "Service/webui").at("/spec/ports/0")).put("targetPort", "management");
        assertThat(DeploymentChecks.managementPort(rendered)).containsExactlyInAnyOrder(
                "Deployment/hasher container app: no MANAGEMENT_SERVER_PORT: the Actuator shares the application's "
                        + "port",
                "Deployment/rng container app: livenessProbe on port http, not management",
                "Service/webui forwards to the management port");
        assertThat(ApiRules.check(rendered)).contains(
                "Deployment/hasher container app: MANAGEMENT_SERVER_PORT is null, the port named management is 8090");
    }

    /** The Prometheus Operator's pattern of a duration (interval, for, scrapeTimeout). */
    private static final String DURATION = "^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$";

    @Test
    void eachMonitoringKindIsValidatedAgainstThePrometheusOperatorsSchema() {
        String duration = "does not match the regex pattern " + DURATION;
        assertThat(Models.problems(fixture("podmonitor-misspelt-endpoints.yaml"))).containsExactly(
                "PodMonitor/kafkacoins-services: $.spec: property 'podMetricEndpoints' is not defined in the schema "
                        + "and the schema does not allow additional properties");
        assertThat(Models.problems(fixture("servicemonitor-bad-interval.yaml"))).containsExactly(
                "ServiceMonitor/webui: $.spec.endpoints[0].interval: " + duration,
                "ServiceMonitor/webui: $.spec.endpoints[0].scheme: does not have a value in the enumeration "
                        + "[\"http\", \"https\", \"HTTP\", \"HTTPS\"]");
        // The kind another change adds to k8s/components/monitoring (alert-rules.yaml) is covered already.
        assertThat(Models.problems(fixture("prometheusrule-misspelt-expr.yaml"))).containsExactly(
                "PrometheusRule/kafkacoins-alerts: $.spec.groups[0].rules[0].for: " + duration,
                "PrometheusRule/kafkacoins-alerts: $.spec.groups[0].rules[0]: property 'expression' is not defined in "
                        + "the schema and the schema does not allow additional properties",
                "PrometheusRule/kafkacoins-alerts: $.spec.groups[0].rules[0]: required property 'expr' not found");
        assertThat(Models.problems(fixture("podmonitor-old-api-version.yaml"))).containsExactly(
                "PodMonitor/kafkacoins-services: apiVersion monitoring.coreos.com/v1alpha1, the Prometheus "
                        + "Operator's resources here are monitoring.coreos.com/v1");
    }

    @Test
    void aMetricsConfigNamingAConfigMapOrKeyTheOverlayDoesNotHaveIsReported() throws Exception {
        List<JsonNode> rendered = KubernetesManifestsTest.render("dev");
        ObjectNode ref = (ObjectNode) document(rendered, "Kafka/kafkacoins")
                .at("/spec/kafka/metricsConfig/valueFrom/configMapKeyRef");
        ref.put("key", "kafka-metrics-config.yaml");
        assertThat(DeploymentChecks.configMapReferences(rendered)).containsExactly("Kafka/kafkacoins's metricsConfig "
                + "refers to key kafka-metrics-config.yaml of ConfigMap kafka-metrics, which has "
                + "[kafka-metrics-config.yml]");
        ref.put("name", "kafka-metric");
        assertThat(DeploymentChecks.configMapReferences(rendered)).containsExactly("Kafka/kafkacoins's metricsConfig "
                + "refers to ConfigMap kafka-metric, which the overlay does not have");
    }

    @Test
    void anExporterThatExportsBeyondTheProjectOrMissesPartOfItIsReported() throws Exception {
        List<JsonNode> rendered = KubernetesManifestsTest.render("dev");
        ObjectNode exporter = (ObjectNode) document(rendered, "Kafka/kafkacoins").at("/spec/kafkaExporter");
        // Unanchored, and without the sink's dead letters: Go's MatchString finds miner.blocks in miner.blocks.old.
        exporter.put("topicRegex", "miner\\.(blocks|hashes|coins|rates|totals)(\\.dlq)?");
        exporter.remove("groupRegex");
        assertThat(StrimziChecks.kafkaExporter(rendered)).hasSize(16).contains(
                "Kafka/kafkacoins: kafkaExporter.topicRegex does not match the project's topic miner.sink.dlq",
                "Kafka/kafkacoins: kafkaExporter.topicRegex also matches miner.blocks.old, which is not the project's",
                "Kafka/kafkacoins: kafkaExporter.topicRegex also matches old.miner.totals, which is not the project's",
                "Kafka/kafkacoins: kafkaExporter.groupRegex is not set: Strimzi's default .* exports every group of "
                        + "the cluster");
        ((ObjectNode) document(rendered, "Kafka/kafkacoins").path("spec")).remove("kafkaExporter");
        assertThat(StrimziChecks.kafkaExporter(rendered))
                .containsExactly("Kafka/kafkacoins has no kafkaExporter: no group lag reaches Prometheus");
    }

    @Test
    void aPodMonitorOffItsPodsPortsOrPathIsReported() throws Exception {
        List<JsonNode> rendered = KubernetesManifestsTest.render("prod");
        ((ObjectNode) document(rendered, "PodMonitor/kafkacoins-services").at("/spec/podMetricsEndpoints/0"))
                .put("port", "managment");
        ((ObjectNode) document(rendered, "PodMonitor/entity-operator").at("/spec/podMetricsEndpoints/1"))
                .put("path", "/actuator/prometheus");
        ((ObjectNode) document(rendered, "PodMonitor/kafka-resources").at("/spec/selector/matchLabels"))
                .put("strimzi.io/kind", "KafkaNodePool");
        // 5 pods without the port, their Actuators, 6 nodes and the exporter unscraped, the user operator at the
        // wrong path.
        assertThat(MonitoringChecks.podMonitors(rendered, NetworkFlowsTest.OPERATOR_NAMESPACE)).hasSize(19).contains(
                "PodMonitor/kafka-resources: its selector {\"matchExpressions\":[{\"key\":\"app.kubernetes.io/name\","
                        + "\"operator\":\"In\",\"values\":[\"kafka\",\"kafka-exporter\"]}],\"matchLabels\":"
                        + "{\"strimzi.io/kind\":\"KafkaNodePool\"}} selects no pod",
                "PodMonitor/kafkacoins-services: port managment is not a port of kafkacoins/rng [http, management]",
                "the Actuator of rng (kafkacoins/rng:management /actuator/prometheus) is scraped by no PodMonitor",
                "the metrics of Kafka node kafkacoins-controllers-0 (kafkacoins/kafkacoins-controllers-0:tcp-prometheus "
                        + "/metrics) is scraped by no PodMonitor",
                "the Kafka Exporter (kafkacoins/kafkacoins-kafka-exporter:tcp-prometheus /metrics) is scraped by no "
                        + "PodMonitor",
                "the user operator (kafkacoins/kafkacoins-entity-operator:healthcheck-uo /metrics) is scraped by no "
                        + "PodMonitor");
    }

    @Test
    void aPolicyThatShutsPrometheusOutOfTheManagementPortsIsReported() throws Exception {
        List<JsonNode> rendered = NetworkFlowsTest.withKafkaCli(KubernetesManifestsTest.render("prod"));
        ((ObjectNode) document(rendered, "NetworkPolicy/metrics").at("/spec/ingress/0/from/0/namespaceSelector"
                + "/matchLabels")).put("kubernetes.io/metadata.name", "prometheus");
        assertThat(MonitoringChecks.podMonitors(rendered, NetworkFlowsTest.OPERATOR_NAMESPACE)).hasSize(5).contains(
                "PodMonitor/kafkacoins-services: Prometheus (namespace monitoring) cannot reach kafkacoins/sink:"
                        + "management: ingress of kafkacoins/sink allows it in none of [default-deny, metrics]");
        assertThat(NetworkFlows.check(rendered, NetworkFlowsTest.OPERATOR_NAMESPACE)).hasSize(5).contains(
                "must be allowed, is refused: Prometheus scrapes webui (monitoring/prometheus → kafkacoins/webui:8090/"
                        + "TCP): ingress of kafkacoins/webui allows it in none of [default-deny, metrics, webui]");
    }

    private static JsonNode env(JsonNode container, String name) {
        return Workloads.list(container.path("env")).stream().filter(e -> e.path("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no env " + name + " in " + container));
    }

    private static JsonNode container(List<JsonNode> rendered, String deployment) {
        return document(rendered, "Deployment/" + deployment).at("/spec/template/spec/containers/0");
    }

    /** The rendered document named kind/name. */
    private static JsonNode document(List<JsonNode> rendered, String name) {
        return rendered.stream().filter(d -> Manifests.name(d).equals(name)).findFirst().orElseThrow();
    }

    private static void replace(List<JsonNode> rendered, JsonNode replacement) {
        int at = -1;
        for (int i = 0; i < rendered.size(); i++) {
            if (Manifests.name(rendered.get(i)).equals(Manifests.name(replacement))) {
                at = i;
            }
        }
        assertThat(at).as("the overlay has " + Manifests.name(replacement)).isNotNegative();
        rendered.set(at, replacement);
    }

    private static List<JsonNode> devWith(String fixture) throws Exception {
        List<JsonNode> rendered = new ArrayList<>(StrimziManifestsTest.render("dev"));
        replace(rendered, fixture(fixture));
        return rendered;
    }

    private static JsonNode fixture(String name) {
        return Manifests.read(fixturePath(name)).getFirst();
    }

    private static Path fixturePath(String name) {
        try {
            return Path.of(Objects.requireNonNull(SeededMistakesTest.class.getResource("/seeded-mistakes/" + name),
                    name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
