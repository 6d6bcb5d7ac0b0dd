package dev.kafkacoins.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkacoins.deploy.JibImages.Image;
import dev.kafkacoins.deploy.Workloads.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The overlay's images against what the build made: each of our containers runs an image Jib built (same
 * registry, name and tag), each built image is deployed, the pod runs as the image's non-root user, the
 * container's ports are ones the image exposes (or the Actuator's own port, which the deployment sets with
 * MANAGEMENT_SERVER_PORT and the image does not know of), a moving tag is pulled at every start, the memory limit
 * holds the image's heap and what the JVM needs besides it, and PostgreSQL is the major version the build tests
 * against.
 */
public final class ImageChecks {

    /** What a service's JVM needs besides its heap, and the aggregator's RocksDB on top: see {@code memory}. */
    static final long NON_HEAP_MIB = 192;
    static final long ROCKSDB_MIB = 64;
    private static final long MIB = 1024 * 1024;

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
                if (!reference.contains("@sha256:") && !c.path("imagePullPolicy").asText().equals("Always")) {
                    problems.add(who + ": image " + reference + " is a tag the build overwrites, pulled "
                            + c.path("imagePullPolicy").asText("IfNotPresent") + " (a rebuilt one never reaches the node)");
                }
                memory(who, c, image).ifPresent(problems::add);
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

    /**
     * The container's memory limit against the image's heap: a JVM needs about {@value #NON_HEAP_MIB} MiB besides
     * its heap (measured: 142-183 MiB of anonymous memory outside the heap per service of the local stack, plus
     * the mapped JDK and jars), and the aggregator's RocksDB up to {@value #ROCKSDB_MIB} MiB more. A limit below
     * that is an OOM kill waiting for the heap to fill.
     */
    private static Optional<String> memory(String who, JsonNode container, Image image) {
        Optional<Long> heap = image.entrypoint().stream().filter(a -> a.startsWith("-Xmx"))
                .map(a -> jvmMebibytes(a.substring(4))).findFirst();
        if (heap.isEmpty()) {
            return Optional.of(who + ": the image sets no -Xmx, so its heap is a share of the limit");
        }
        String limit = container.at("/resources/limits/memory").asText();
        long needed = heap.get() + NON_HEAP_MIB + (image.reference().contains("/aggregator:") ? ROCKSDB_MIB : 0);
        if (limit.isEmpty() || Quantity.getAmountInBytes(new Quantity(limit)).longValue() < needed * MIB) {
            return Optional.of(who + ": memory limit " + (limit.isEmpty() ? "none" : limit) + ", the image's heap "
                    + heap.get() + " MiB needs at least " + needed + "Mi");
        }
        return Optional.empty();
    }

    /** A JVM size such as 192m or 1g (the JVM's units, not Kubernetes': "128m" is 0.128 to Kubernetes). */
    static long jvmMebibytes(String size) {
        long number = Long.parseLong(size.substring(0, size.length() - 1));
        return switch (Character.toLowerCase(size.charAt(size.length() - 1))) {
            case 'm' -> number;
            case 'g' -> number * 1024;
            default -> throw new IllegalArgumentException("-Xmx" + size + ": expected a size in m or g");
        };
    }
}
