package dev.kafkacoins.deploy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A multi-platform base image written as an OCI image layout (a folder skopeo copies into a registry): one image
 * index over one tiny image per platform, each a single layer holding the file {@code etc/stand-in-base} with its
 * architecture's name. No public registry is reachable from the build, so the published images' real base
 * (eclipse-temurin) cannot be pulled; this stands in for it, and its per-platform layer shows which base variant
 * each pushed image was built on. Written here because skopeo copies an image but does not make one.
 */
final class StandInBaseImage {

    static final String INDEX = "application/vnd.oci.image.index.v1+json";
    static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    /** The diff id (sha256 of the uncompressed layer) of each architecture's layer. */
    private final Map<String, String> layerDiffIds = new LinkedHashMap<>();

    private StandInBaseImage() {
    }

    /** Writes the layout into {@code folder} under the tag {@code tag}. */
    static StandInBaseImage write(Path folder, String tag, List<String> architectures) throws IOException {
        StandInBaseImage base = new StandInBaseImage();
        Files.createDirectories(folder.resolve("blobs/sha256"));
        ArrayNode manifests = LocalRegistry.JSON.createArrayNode();
        for (String architecture : architectures) {
            byte[] layer = tar("etc/stand-in-base", architecture + "\n");
            base.layerDiffIds.put(architecture, sha256(layer));
            byte[] compressed = gzip(layer);
            ObjectNode config = LocalRegistry.JSON.createObjectNode()
                    .put("architecture", architecture).put("os", "linux");
            config.putObject("config").putArray("Env").add("PATH=/usr/local/bin:/usr/bin:/bin");
            config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(sha256(layer));
            ObjectNode manifest = LocalRegistry.JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MANIFEST);
            manifest.set("config", descriptor("application/vnd.oci.image.config.v1+json", blob(folder, json(config))));
            manifest.putArray("layers").add(descriptor("application/vnd.oci.image.layer.v1.tar+gzip",
                    blob(folder, compressed)));
            ObjectNode entry = descriptor(MANIFEST, blob(folder, json(manifest)));
            entry.putObject("platform").put("architecture", architecture).put("os", "linux");
            manifests.add(entry);
        }
        ObjectNode index = LocalRegistry.JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", INDEX);
        index.set("manifests", manifests);
        ObjectNode tagged = descriptor(INDEX, blob(folder, json(index)));
        tagged.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
        ObjectNode top = LocalRegistry.JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", INDEX);
        top.putArray("manifests").add(tagged);
        Files.write(folder.resolve("index.json"), json(top));
        Files.writeString(folder.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        return base;
    }

    String layerDiffId(String architecture) {
        return layerDiffIds.get(architecture);
    }

    private record Blob(String digest, long size) {
    }

    private static Blob blob(Path folder, byte[] content) throws IOException {
        String digest = sha256(content);
        Files.write(folder.resolve("blobs/sha256").resolve(digest.substring("sha256:".length())), content);
        return new Blob(digest, content.length);
    }

    private static ObjectNode descriptor(String mediaType, Blob blob) {
        return LocalRegistry.JSON.createObjectNode().put("mediaType", mediaType).put("digest", blob.digest())
                .put("size", blob.size());
    }

    private static byte[] json(ObjectNode node) throws IOException {
        return LocalRegistry.JSON.writeValueAsBytes(node);
    }

    private static byte[] tar(String name, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(bytes.length);
            entry.setModTime(0);
            tar.putArchiveEntry(entry);
            tar.write(bytes);
            tar.closeArchiveEntry();
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(content);
        }
        return out.toByteArray();
    }

    private static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
