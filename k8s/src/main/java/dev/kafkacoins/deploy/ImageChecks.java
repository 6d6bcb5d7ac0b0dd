package dev.kafkacoins.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkacoins.deploy.JibImages.Image;
import dev.kafkacoins.deploy.Workloads.Pod;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The overlay's images against what the build made: each of our containers runs an image Jib built (same
 * registry, name and tag), each built image is deployed, the pod runs as the image's non-root user, the
 * container's ports are ones the image exposes (or the Actuator's own port, which the deployment sets with
 * MANAGEMENT_SERVER_PORT and the image does not know of), and PostgreSQL is the major version the build tests
 * against.
 */
public final class ImageChecks {

    private ImageChecks() {
    }

    public static List<String> check(List<JsonNode> documents, List<Image> built, int postgresMajor) {
        Map<String, Image> byReference = built.stream().collect(Collectors.toMap(Image::reference,
                Function.identity(), (a, b) -> a, TreeMap::new));
        Set<String> used = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (Pod pod : Workloads.pods(documents)) {
            pod.allContainers().forEach(c -> {
                String who = pod.containerName(c);
                String reference = c.path("image").asText();
                if (reference.startsWith("postgres:")) {
                    if (!reference.startsWith("postgres:" + postgresMajor + "-")
                            && !reference.equals("postgres:" + postgresMajor)) {
                        problems.add(who + ": image " + reference + ", the build tests PostgreSQL " + postgresMajor);
                    }
                    return;
                }
                Image image = byReference.get(reference);
                if (image == null) {
                    problems.add(who + ": image " + reference + " is not one Jib builds " + byReference.keySet());
                    return;
                }
                used.add(reference);
                String user = pod.spec().at("/securityContext/runAsUser").asText();
                if (!image.user().equals(user + ":" + pod.spec().at("/securityContext/runAsGroup").asText())) {
                    problems.add(who + ": runs as " + user + ", the image's user is " + image.user());
                }
                if (image.user().startsWith("0:") || image.user().isEmpty()) {
                    problems.add(who + ": the image runs as root");
                }
                if (!image.entrypoint().isEmpty() && !image.entrypoint().getFirst().equals("java")) {
                    problems.add(who + ": the image's entrypoint is " + image.entrypoint());
                }
                String management = DeploymentChecks.env(c, DeploymentChecks.MANAGEMENT_PORT_ENV);
                c.path("ports").forEach(port -> {
                    String number = port.path("containerPort").asText();
                    if (!image.ports().contains(port.path("containerPort").asInt()) && !number.equals(management)) {
                        problems.add(who + ": port " + port.path("containerPort").asInt()
                                + " is not one the image exposes " + image.ports());
                    }
                });
            });
        }
        byReference.keySet().stream().filter(r -> !used.contains(r)).sorted()
                .forEach(r -> problems.add("image " + r + " is built but no pod runs it"));
        return problems;
    }
}
