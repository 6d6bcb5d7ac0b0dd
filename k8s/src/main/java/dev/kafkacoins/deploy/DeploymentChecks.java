package dev.kafkacoins.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkacoins.deploy.Workloads.Pod;
import dev.kafkacoins.protocol.ConsumerGroups;
import dev.kafkacoins.protocol.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Cross-reference and hardening checks over one rendered overlay, the Strimzi resources and the services together.
 * Each returns one line per problem, naming the resource; an empty list means the check holds.
 */
public final class DeploymentChecks {

    /** Keys of the Secret the User Operator creates for a SCRAM-SHA-512 KafkaUser (named like the user). */
    static final Set<String> USER_SECRET_KEYS = Set.of("password", "sasl.jaas.config");

    /** Keys of the cluster CA Secret the Cluster Operator creates, {@code <kafka>-cluster-ca-cert}. */
    static final Set<String> CLUSTER_CA_KEYS = Set.of("ca.crt", "ca.p12", "ca.password");

    /**
     * The one Secret Strimzi does not create: PostgreSQL's passwords (the superuser's, one per service role), which the
     * operator of the cluster creates by hand (docs/kubernetes.md, the walkthrough), name → keys.
     */
    static final Map<String, Set<String>> HAND_MADE_SECRETS = Map.of("postgres-credentials",
            Set.of("superuser-password", "migrations-password", "sink-password", "webui-password"));

    /**
     * The key of postgres-credentials each service may read: its own database role's password, least privilege as
     * with its KafkaUser. PostgreSQL's own pod reads them all (its init script creates the roles).
     */
    static final Map<String, String> DATABASE_PASSWORD_OF = Map.of("db-migrations", "migrations-password",
            "sink", "sink-password", "webui", "webui-password");
    static final String DATABASE_SERVER = "postgres";

    /** The KafkaUser KEDA's Kafka scaler reads lag as. */
    static final String KEDA_USER = "keda";

    /** Spring Boot's management.server.port from the environment: the Actuator on a port of its own. */
    static final String MANAGEMENT_PORT_ENV = "MANAGEMENT_SERVER_PORT";

    /** The container port the Actuator listens on: probes and Prometheus use it, the Service and Ingress do not. */
    static final String MANAGEMENT_PORT_NAME = "management";

    private DeploymentChecks() {
    }

    /**
     * Every Secret a pod or a TriggerAuthentication refers to is one Strimzi creates (a KafkaUser's, the cluster
     * CA) or the hand-made database Secret, with a key it has; and a pod uses only its own service's KafkaUser.
     * A kustomize namePrefix or a renamed user shows up here: the Secret no longer names a KafkaUser.
     */
    public static List<String> secretReferences(List<JsonNode> documents) {
        Map<String, Set<String>> secrets = new HashMap<>(HAND_MADE_SECRETS);
        Set<String> users = new HashSet<>();
        Workloads.ofKind(documents, "KafkaUser").forEach(u -> {
            users.add(u.at("/metadata/name").asText());
            secrets.put(u.at("/metadata/name").asText(), USER_SECRET_KEYS);
        });
        Workloads.ofKind(documents, "Kafka").forEach(k -> secrets.put(clusterCaSecret(k), CLUSTER_CA_KEYS));

        List<String> problems = new ArrayList<>();
        for (Pod pod : Workloads.pods(documents)) {
            for (Reference ref : secretReferences(pod)) {
                problems.addAll(ref.check(pod.workload(), secrets, "Secret"));
                if (users.contains(ref.name()) && !ref.name().equals(pod.service())) {
                    problems.add(pod.workload() + " uses the KafkaUser Secret " + ref.name()
                            + ": a service uses only its own user (" + pod.service() + ")");
                }
                if (HAND_MADE_SECRETS.containsKey(ref.name()) && !pod.service().equals(DATABASE_SERVER)
                        && !java.util.Objects.equals(ref.key(), DATABASE_PASSWORD_OF.get(pod.service()))) {
                    problems.add(pod.workload() + " reads " + ref.key() + " of Secret " + ref.name()
                            + ": a service logs in only as its own database role ("
                            + DATABASE_PASSWORD_OF.getOrDefault(pod.service(), "it has none") + ")");
                }
            }
        }
        for (JsonNode auth : Workloads.ofKind(documents, "TriggerAuthentication")) {
            for (JsonNode ref : auth.at("/spec/secretTargetRef")) {
                Reference reference = new Reference(ref.path("name").asText(), ref.path("key").asText(null));
                problems.addAll(reference.check(Manifests.name(auth), secrets, "Secret"));
                if (users.contains(reference.name()) && !reference.name().equals(KEDA_USER)) {
                    problems.add(Manifests.name(auth) + " uses the KafkaUser Secret " + reference.name()
                            + ": KEDA reads lag as its own user " + KEDA_USER);
                }
            }
        }
        return problems;
    }

    /**
     * Every ConfigMap a pod, a TriggerAuthentication or the Kafka's metricsConfig refers to exists in the overlay and
     * has the key. A Kafka whose metricsConfig names a missing ConfigMap or key is applied without complaint; only
     * the operator's reconciliation then fails (InvalidConfigurationException, the Kafka not Ready).
     */
    public static List<String> configMapReferences(List<JsonNode> documents) {
        Map<String, Set<String>> configMaps = new HashMap<>();
        for (JsonNode map : Workloads.ofKind(documents, "ConfigMap")) {
            Set<String> keys = new TreeSet<>();
            map.path("data").fieldNames().forEachRemaining(keys::add);
            configMaps.put(map.at("/metadata/name").asText(), keys);
        }
        List<String> problems = new ArrayList<>();
        for (Pod pod : Workloads.pods(documents)) {
            pod.allContainers().forEach(c -> {
                c.path("env").forEach(env -> {
                    JsonNode ref = env.at("/valueFrom/configMapKeyRef");
                    if (!ref.isMissingNode()) {
                        problems.addAll(new Reference(ref.path("name").asText(), ref.path("key").asText())
                                .check(pod.workload(), configMaps, "ConfigMap"));
                    }
                });
                c.path("envFrom").forEach(from -> {
                    if (from.has("configMapRef")) {
                        problems.addAll(new Reference(from.at("/configMapRef/name").asText(), null)
                                .check(pod.workload(), configMaps, "ConfigMap"));
                    }
                });
            });
        }
        for (JsonNode kafka : Workloads.ofKind(documents, "Kafka")) {
            JsonNode ref = kafka.at("/spec/kafka/metricsConfig/valueFrom/configMapKeyRef");
            if (!ref.isMissingNode()) {
                problems.addAll(new Reference(ref.path("name").asText(), ref.path("key").asText())
                        .check(Manifests.name(kafka) + "'s metricsConfig", configMaps, "ConfigMap"));
            }
        }
        for (JsonNode auth : Workloads.ofKind(documents, "TriggerAuthentication")) {
            for (JsonNode ref : auth.at("/spec/configMapTargetRef")) {
                problems.addAll(new Reference(ref.path("name").asText(), ref.path("key").asText())
                        .check(Manifests.name(auth), configMaps, "ConfigMap"));
            }
        }
        return problems;
    }

    /**
     * Clients reach Kafka at the bootstrap Service of the one Kafka, on its TLS listener with SCRAM-SHA-512 (the
     * listener the KafkaUsers are for). The services' ConfigMap is read by pods in the Kafka's namespace, where the
     * Service's short name resolves; KEDA's trigger is read by KEDA's operator in its own namespace, where only the
     * qualified name {@code <service>.<namespace>.svc} does (one of the names in the broker certificate).
     */
    public static List<String> kafkaAddress(List<JsonNode> documents) {
        List<JsonNode> kafkas = Workloads.ofKind(documents, "Kafka");
        if (kafkas.size() != 1) {
            return List.of("expected exactly one Kafka, found " + kafkas.size());
        }
        JsonNode kafka = kafkas.getFirst();
        String service = null;
        int port = 0;
        for (JsonNode listener : kafka.at("/spec/kafka/listeners")) {
            if (listener.path("tls").asBoolean() && listener.at("/authentication/type").asText()
                    .equals("scram-sha-512") && listener.path("type").asText().equals("internal")) {
                service = kafka.at("/metadata/name").asText() + "-kafka-bootstrap";
                port = listener.path("port").asInt();
            }
        }
        if (service == null) {
            return List.of(Manifests.name(kafka) + " has no internal TLS listener with scram-sha-512");
        }
        String local = service + ":" + port;
        String qualified = service + "." + kafka.at("/metadata/namespace").asText() + ".svc:" + port;
        List<String> problems = new ArrayList<>();
        int found = 0;
        for (JsonNode map : Workloads.ofKind(documents, "ConfigMap")) {
            for (var field : map.path("data").properties()) {
                if (field.getKey().endsWith("BOOTSTRAP_SERVERS")) {
                    found++;
                    if (!field.getValue().asText().equals(local)) {
                        problems.add(Manifests.name(map) + ": " + field.getKey() + " is " + field.getValue().asText()
                                + ", the TLS/SCRAM listener is " + local);
                    }
                }
            }
        }
        for (JsonNode scaler : Workloads.ofKind(documents, "ScaledObject")) {
            for (JsonNode trigger : scaler.at("/spec/triggers")) {
                String servers = trigger.at("/metadata/bootstrapServers").asText();
                if (trigger.path("type").asText().equals("kafka") && !servers.equals(qualified)) {
                    problems.add(Manifests.name(scaler) + ": bootstrapServers is " + servers + ", KEDA reads it "
                            + "from its own namespace: the TLS/SCRAM listener there is " + qualified);
                }
            }
        }
        if (found == 0 && !Workloads.pods(documents).isEmpty()) {
            problems.add("no ConfigMap sets SPRING_KAFKA_BOOTSTRAP_SERVERS");
        }
        return problems;
    }

    /**
     * The hasher autoscaler (KEDA's or the CPU one) targets the hasher Deployment, reads the registry's topic and
     * group, and stops at the topic's partitions: more hashers than partitions would sit idle.
     */
    public static List<String> autoscaling(List<JsonNode> documents) {
        Set<String> deployments = new HashSet<>();
        Workloads.ofKind(documents, "Deployment").forEach(d -> deployments.add(d.at("/metadata/name").asText()));
        List<String> problems = new ArrayList<>();
        for (JsonNode scaler : Workloads.ofKind(documents, "ScaledObject")) {
            String name = Manifests.name(scaler);
            problems.addAll(target(name, scaler.at("/spec/scaleTargetRef/name").asText(), deployments));
            problems.addAll(maximum(scaler, "maxReplicaCount"));
            for (JsonNode trigger : scaler.at("/spec/triggers")) {
                if (!trigger.path("type").asText().equals("kafka")) {
                    continue;
                }
                JsonNode metadata = trigger.path("metadata");
                if (!metadata.path("topic").asText().equals(Topics.BLOCKS.name())) {
                    problems.add(name + ": the trigger reads topic " + metadata.path("topic").asText()
                            + ", the hashers consume " + Topics.BLOCKS.name());
                }
                if (!metadata.path("consumerGroup").asText().equals(ConsumerGroups.HASHER)) {
                    problems.add(name + ": the trigger reads group " + metadata.path("consumerGroup").asText()
                            + ", the hashers' group is " + ConsumerGroups.HASHER);
                }
            }
        }
        for (JsonNode hpa : Workloads.ofKind(documents, "HorizontalPodAutoscaler")) {
            String name = Manifests.name(hpa);
            problems.addAll(target(name, hpa.at("/spec/scaleTargetRef/name").asText(), deployments));
            problems.addAll(maximum(hpa, "maxReplicas"));
        }
        return problems;
    }

    /**
     * Every pod runs as non-root with no capabilities, no privilege escalation, a read-only root, the runtime's
     * seccomp profile, no service-account token and a memory request and limit; every long-running container has
     * liveness and readiness probes, and the services' probes use the Actuator groups.
     */
    public static List<String> podHardening(List<JsonNode> documents) {
        List<String> problems = new ArrayList<>();
        for (Pod pod : Workloads.pods(documents)) {
            JsonNode spec = pod.spec();
            if (!spec.path("automountServiceAccountToken").isBoolean()
                    || spec.path("automountServiceAccountToken").asBoolean()) {
                problems.add(pod.workload() + ": automountServiceAccountToken is not false");
            }
            if (!spec.at("/securityContext/runAsNonRoot").asBoolean()) {
                problems.add(pod.workload() + ": runAsNonRoot is not true");
            }
            pod.allContainers().forEach(c -> {
                String who = pod.containerName(c);
                JsonNode security = c.path("securityContext");
                if (!security.path("readOnlyRootFilesystem").asBoolean()) {
                    problems.add(who + ": readOnlyRootFilesystem is not true");
                }
                if (!security.path("allowPrivilegeEscalation").isBoolean()
                        || security.path("allowPrivilegeEscalation").asBoolean()) {
                    problems.add(who + ": allowPrivilegeEscalation is not false");
                }
                if (!security.at("/capabilities/drop").toString().contains("\"ALL\"")) {
                    problems.add(who + ": capabilities are not all dropped");
                }
                String seccomp = security.at("/seccompProfile/type")
                        .asText(spec.at("/securityContext/seccompProfile/type").asText());
                if (!seccomp.equals("RuntimeDefault")) {
                    problems.add(who + ": seccomp profile is not RuntimeDefault");
                }
                if (c.at("/resources/requests/memory").isMissingNode() || c.at("/resources/limits/memory")
                        .isMissingNode()) {
                    problems.add(who + ": no memory request and limit");
                }
            });
            if (pod.workload().startsWith("Job/")) {
                continue;
            }
            for (JsonNode c : pod.containers()) {
                for (String probe : List.of("liveness", "readiness")) {
                    JsonNode check = c.path(probe + "Probe");
                    if (check.isMissingNode()) {
                        problems.add(pod.containerName(c) + ": no " + probe + " probe");
                    } else if (check.has("httpGet") && !check.at("/httpGet/path").asText()
                            .equals("/actuator/health/" + probe)) {
                        problems.add(pod.containerName(c) + ": the " + probe + " probe is not the Actuator's "
                                + "/actuator/health/" + probe);
                    }
                }
            }
        }
        return problems;
    }

    /**
     * The Actuator (health details, metrics) is served on the management port only: every service container sets
     * it, its probes use it, and no Service forwards to it, so no Ingress or port-forward of a Service exposes it.
     */
    public static List<String> managementPort(List<JsonNode> documents) {
        List<String> problems = new ArrayList<>();
        for (Pod pod : Workloads.pods(documents)) {
            if (!pod.workload().startsWith("Deployment/")) {
                continue;
            }
            for (JsonNode c : pod.containers()) {
                if (env(c, MANAGEMENT_PORT_ENV) == null) {
                    problems.add(pod.containerName(c) + ": no " + MANAGEMENT_PORT_ENV + ": the Actuator shares the "
                            + "application's port");
                }
                for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                    JsonNode port = c.path(probe).at("/httpGet/port");
                    if (!port.isMissingNode() && !port.asText().equals(MANAGEMENT_PORT_NAME)) {
                        problems.add(pod.containerName(c) + ": " + probe + " on port " + port.asText() + ", not "
                                + MANAGEMENT_PORT_NAME);
                    }
                }
            }
        }
        for (JsonNode service : Workloads.ofKind(documents, "Service")) {
            for (JsonNode port : service.at("/spec/ports")) {
                if (port.path("targetPort").asText().equals(MANAGEMENT_PORT_NAME)) {
                    problems.add(Manifests.name(service) + " forwards to the management port");
                }
            }
        }
        return problems;
    }

    /** A container's literal environment value, or null. */
    static String env(JsonNode container, String name) {
        for (JsonNode env : container.path("env")) {
            if (env.path("name").asText().equals(name) && env.has("value")) {
                return env.path("value").asText();
            }
        }
        return null;
    }

    static String clusterCaSecret(JsonNode kafka) {
        return kafka.at("/metadata/name").asText() + "-cluster-ca-cert";
    }

    /** An autoscaler's maximum (its {@code field} under spec) must be the partitions of miner.blocks. */
    private static List<String> maximum(JsonNode autoscaler, String field) {
        int max = autoscaler.path("spec").path(field).asInt(-1);
        int partitions = Topics.BLOCKS.partitions();
        return max == partitions ? List.of() : List.of(Manifests.name(autoscaler) + ": " + field + " " + max + ", "
                + Topics.BLOCKS.name() + " has " + partitions + " partitions");
    }

    private static List<String> target(String who, String name, Set<String> deployments) {
        return deployments.contains(name) ? List.of()
                : List.of(who + ": scaleTargetRef names Deployment " + name + ", which the overlay does not have");
    }

    private static List<Reference> secretReferences(Pod pod) {
        List<Reference> refs = new ArrayList<>();
        pod.allContainers().forEach(c -> {
            c.path("env").forEach(env -> {
                JsonNode ref = env.at("/valueFrom/secretKeyRef");
                if (!ref.isMissingNode()) {
                    refs.add(new Reference(ref.path("name").asText(), ref.path("key").asText()));
                }
            });
            c.path("envFrom").forEach(from -> {
                if (from.has("secretRef")) {
                    refs.add(new Reference(from.at("/secretRef/name").asText(), null));
                }
            });
        });
        pod.spec().path("volumes").forEach(volume -> {
            JsonNode secret = volume.path("secret");
            if (!secret.isMissingNode()) {
                if (secret.path("items").isEmpty()) {
                    refs.add(new Reference(secret.path("secretName").asText(), null));
                }
                secret.path("items").forEach(item -> refs.add(
                        new Reference(secret.path("secretName").asText(), item.path("key").asText())));
            }
        });
        return refs;
    }

    /** A reference to a key (or, with a null key, all of it) of a named Secret or ConfigMap. */
    private record Reference(String name, String key) {

        List<String> check(String who, Map<String, Set<String>> known, String kind) {
            Set<String> keys = known.get(name);
            if (keys == null) {
                return List.of(who + " refers to " + kind + " " + name + ", which " + ("Secret".equals(kind)
                        ? "is neither a KafkaUser's, the cluster CA's nor one of " + HAND_MADE_SECRETS.keySet()
                        : "the overlay does not have"));
            }
            if (key != null && !keys.contains(key)) {
                return List.of(who + " refers to key " + key + " of " + kind + " " + name + ", which has "
                        + new TreeSet<>(keys));
            }
            return List.of();
        }
    }
}
