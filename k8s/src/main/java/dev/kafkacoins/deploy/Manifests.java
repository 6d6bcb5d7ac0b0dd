package dev.kafkacoins.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The YAML documents of a manifest file, or of a kustomization as {@code kubectl kustomize} renders it. */
public final class Manifests {

    static final ObjectMapper YAML = new YAMLMapper();

    private Manifests() {
    }

    /** Every non-empty document of a multi-document YAML file. */
    public static List<JsonNode> read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static List<JsonNode> parse(String yaml) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(yaml)) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(doc -> {
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    documents.add(doc);
                }
            });
        }
        return documents;
    }

    /** {@code kubectl} on the PATH, if there is one: kustomize rendering needs it. */
    public static Optional<Path> kubectl() {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "kubectl")).filter(Files::isExecutable).findFirst();
    }

    /**
     * kubectl, or a failure that names it: the overlays' rendering and the walkthrough's commands are checked with
     * it, and a build without it would check nothing of them.
     */
    public static Path requireKubectl() {
        return kubectl().orElseThrow(() -> new IllegalStateException("kubectl is not on the PATH: the k8s module "
                + "renders the overlays and parses the README's kubectl commands with it (install kubectl "
                + "1.32 or later: the release binary, or a package of it; Debian 12's kubernetes-client is 1.20)"));
    }

    /** The documents {@code kubectl kustomize dir} prints; its error output when it fails. */
    public static List<JsonNode> render(Path kustomization) throws IOException, InterruptedException {
        Path kubectl = requireKubectl();
        Process process = new ProcessBuilder(kubectl.toString(), "kustomize", kustomization.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("kubectl kustomize " + kustomization + " failed:\n" + output);
        }
        return parse(output);
    }

    /** kind/name, the way people name a resource. */
    public static String name(JsonNode document) {
        return document.path("kind").asText("?") + "/" + document.path("metadata").path("name").asText("?");
    }
}
