package dev.kafkacoins.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The project's alert rules, kept once as a PrometheusRule ({@value #MANIFEST}) and written out as the plain
 * Prometheus rules file its {@code spec} is: the Prometheus Operator reads the one, {@code promtool} and any
 * Prometheus started by hand read the other.
 */
public final class AlertRules {

    /** The PrometheusRule, relative to the repository's root. */
    public static final String MANIFEST = "k8s/components/monitoring/alert-rules.yaml";

    /** Block style for the multi-line expressions, so that the written file reads like the manifest. */
    private static final YAMLMapper RULES_FILE = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .build();

    private AlertRules() {
    }

    /** The PrometheusRule of the repository at {@code root}. */
    public static Path manifest(Path root) {
        return root.resolve(MANIFEST);
    }

    /** The {@code spec} of the single PrometheusRule in {@code manifest}: a rules file's {@code groups}. */
    public static JsonNode spec(Path manifest) {
        List<JsonNode> documents = Manifests.read(manifest);
        if (documents.size() != 1 || !documents.getFirst().path("kind").asText().equals("PrometheusRule")) {
            throw new IllegalArgumentException(manifest + " does not hold exactly one PrometheusRule");
        }
        JsonNode spec = documents.getFirst().path("spec");
        if (!spec.path("groups").isArray()) {
            throw new IllegalArgumentException(manifest + ": the PrometheusRule has no spec.groups");
        }
        return spec;
    }

    /** Writes the spec of {@code manifest} to {@code rulesFile} as a Prometheus rules file; returns the file. */
    public static Path writeRulesFile(Path manifest, Path rulesFile) {
        return write(spec(manifest), rulesFile);
    }

    /** Writes {@code spec} (a PrometheusRule's, or a part of one) to {@code rulesFile} as a rules file. */
    public static Path write(JsonNode spec, Path rulesFile) {
        try {
            Path parent = rulesFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(rulesFile, "# Written from " + MANIFEST + " (its spec); edit that file, not this one.\n"
                    + RULES_FILE.writeValueAsString(spec));
            return rulesFile;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + rulesFile, e);
        }
    }
}
