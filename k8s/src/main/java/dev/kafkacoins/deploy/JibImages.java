package dev.kafkacoins.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The images Jib built in this build: each module's {@code target/jib/<name>.json} names the image, and the OCI
 * tar beside it holds its config (entrypoint, user, ports). Reading the tar rather than the POM checks what Jib
 * actually produced.
 */
public final class JibImages {

    /** One built image and the parts of its config a pod depends on. */
    public record Image(String reference, List<String> entrypoint, String user, Set<Integer> ports,
                        Map<String, String> labels) {
    }

    private JibImages() {
    }

    /** Every image under {@code root}'s modules' target/jib folders. */
    public static List<Image> find(Path root) {
        try (Stream<Path> files = Files.find(root, 5, (p, a) -> p.getParent() != null
                && p.getParent().getFileName().toString().equals("jib")
                && p.getParent().getParent().getFileName().toString().equals("target")
                && p.getFileName().toString().endsWith(".json"))) {
            List<Image> images = new ArrayList<>();
            for (Path json : files.sorted().toList()) {
                images.add(read(json));
            }
            return images;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Image read(Path json) throws IOException {
        String reference = Manifests.YAML.readTree(json.toFile()).path("image").asText();
        Map<String, byte[]> blobs = smallEntries(tar(json));
        JsonNode index = Manifests.YAML.readTree(blobs.get("index.json"));
        JsonNode manifest = Manifests.YAML.readTree(blob(blobs, index.at("/manifests/0/digest").asText()));
        JsonNode config = Manifests.YAML.readTree(blob(blobs, manifest.at("/config/digest").asText())).path("config");
        List<String> entrypoint = new ArrayList<>();
        config.path("Entrypoint").forEach(arg -> entrypoint.add(arg.asText()));
        Set<Integer> ports = new TreeSet<>();
        config.path("ExposedPorts").fieldNames()
                .forEachRemaining(port -> ports.add(Integer.parseInt(port.replace("/tcp", ""))));
        Map<String, String> labels = new HashMap<>();
        config.path("Labels").properties().forEach(l -> labels.put(l.getKey(), l.getValue().asText()));
        return new Image(reference, List.copyOf(entrypoint), config.path("User").asText(), ports, labels);
    }

    private static Path tar(Path json) {
        return json.resolveSibling(json.getFileName().toString().replaceFirst("\\.json$", ".tar"));
    }

    private static byte[] blob(Map<String, byte[]> blobs, String digest) {
        byte[] blob = blobs.get("blobs/" + digest.replace(':', '/'));
        if (blob == null) {
            throw new IllegalStateException("no blob " + digest + " in the image tar");
        }
        return blob;
    }

    /** The tar's small entries (index, manifest, config); the layers are megabytes and not needed. */
    private static Map<String, byte[]> smallEntries(Path tar) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream archive = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry;
            while ((entry = archive.getNextEntry()) != null) {
                if (entry.isFile() && entry.getSize() < 64 * 1024) {
                    entries.put(entry.getName(), archive.readAllBytes());
                }
            }
        }
        return entries;
    }
}
