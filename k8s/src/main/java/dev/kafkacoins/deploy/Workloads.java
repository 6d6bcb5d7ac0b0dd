package dev.kafkacoins.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The pods a rendered deployment runs: each workload's pod template, and the containers in it. */
final class Workloads {

    static final Set<String> KINDS = Set.of("Deployment", "StatefulSet", "Job");

    /** One workload's pod: who runs it, its pod spec, its containers (init containers first). */
    record Pod(String workload, String service, JsonNode spec, List<JsonNode> initContainers,
               List<JsonNode> containers) {

        Stream<JsonNode> allContainers() {
            return Stream.concat(initContainers.stream(), containers.stream());
        }

        String containerName(JsonNode container) {
            return workload + " container " + container.path("name").asText();
        }
    }

    private Workloads() {
    }

    static List<Pod> pods(List<JsonNode> documents) {
        List<Pod> pods = new ArrayList<>();
        for (JsonNode document : documents) {
            if (!KINDS.contains(document.path("kind").asText())) {
                continue;
            }
            JsonNode template = document.at("/spec/template");
            JsonNode spec = template.path("spec");
            String service = template.at("/metadata/labels").path("app.kubernetes.io/name")
                    .asText(document.at("/metadata/name").asText());
            pods.add(new Pod(Manifests.name(document), service, spec, list(spec.path("initContainers")),
                    list(spec.path("containers"))));
        }
        return pods;
    }

    static List<JsonNode> ofKind(List<JsonNode> documents, String kind) {
        return documents.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }

    static List<JsonNode> list(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }
}
