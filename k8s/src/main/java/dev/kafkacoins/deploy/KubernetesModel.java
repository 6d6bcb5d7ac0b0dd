package dev.kafkacoins.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;

/**
 * Reads Kubernetes' built-in kinds through fabric8's model and reports every field it does not know
 * ({@link UnknownFields}), a wrong type, or a kind this project does not deploy. A {@code Secret} is refused
 * outright: credentials are never in the repository, only referred to by name.
 */
public final class KubernetesModel {

    /** apiVersion/kind → the model class; what KafkaCoins deploys, in the versions current clusters serve. */
    static final Map<String, Class<?>> KINDS = Map.ofEntries(
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/Pod", Pod.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("batch/v1/Job", Job.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class));

    private KubernetesModel() {
    }

    public static List<String> problems(JsonNode document) {
        String name = Manifests.name(document);
        String kind = document.path("kind").asText();
        if (kind.equals("Secret")) {
            return List.of(name + ": a Secret in the manifests; create it in the cluster and refer to it by name");
        }
        Class<?> type = KINDS.get(document.path("apiVersion").asText() + "/" + kind);
        if (type == null) {
            return List.of(name + ": " + document.path("apiVersion").asText() + " " + kind
                    + " is not a kind KafkaCoins deploys (" + KINDS.keySet() + ")");
        }
        try {
            return UnknownFields.of(UnknownFields.MAPPER.treeToValue(document, type), name);
        } catch (Exception e) {
            return List.of(name + ": " + e.getMessage().lines().findFirst().orElse(e.toString()));
        }
    }
}
