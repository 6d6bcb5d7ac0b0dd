package dev.kafkacoins.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Strimzi's CustomResourceDefinitions for the kinds KafkaCoins deploys, generated at build time from the model
 * classes in {@code io.strimzi:api} by Strimzi's own {@code io.strimzi:crd-generator} (as Strimzi's release builds
 * them), and each document validated against its version's {@code openAPIV3Schema}, closed by {@link CrdSchemas}
 * (an unknown field is rejected, not pruned; a Kafka's {@code config} keeps unknown fields, as its schema asks).
 * Unlike the model, the schema also checks what Jackson would coerce or accept: a quoted
 * number, a value below its minimum, a value outside an enum.
 */
public final class StrimziCrds {

    private final Map<String, JsonSchema> schemas;

    private StrimziCrds(Map<String, JsonSchema> schemas) {
        this.schemas = schemas;
    }

    /**
     * Generates the CRDs into {@code dir} (one YAML file per kind) with the generator and model jars in
     * {@code generatorJars}, and loads their v1 schemas.
     */
    public static StrimziCrds generate(Path generatorJars, Path dir) {
        try (Stream<Path> jars = Files.list(generatorJars)) {
            Files.createDirectories(dir);
            String classpath = jars.filter(j -> j.toString().endsWith(".jar")).map(Path::toString)
                    .collect(Collectors.joining(File.pathSeparator));
            // The generator is a command line tool (its class is not public), run in a JVM of its own.
            List<String> command = new ArrayList<>(List.of(
                    ProcessHandle.current().info().command().orElse("java"),
                    "-cp", classpath, "io.strimzi.crdgenerator.CrdGenerator",
                    "--yaml", "--crd-api-version", "v1", "--api-versions", "v1", "--storage-version", "v1"));
            StrimziModel.KINDS.forEach((kind, type) -> command.add(type.getName() + "=" + file(dir, kind)));
            Process generator = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(generator.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!generator.waitFor(2, TimeUnit.MINUTES) || generator.exitValue() != 0) {
                generator.destroyForcibly();
                throw new IllegalStateException("Strimzi's CRD generator failed:\n" + output);
            }
            Map<String, JsonSchema> schemas = new LinkedHashMap<>();
            for (String kind : StrimziModel.KINDS.keySet()) {
                JsonNode crd = Manifests.read(file(dir, kind)).getFirst();
                JsonSchema schema = CrdSchemas.of(crd, StrimziModel.API_VERSION.substring(
                        StrimziModel.API_VERSION.indexOf('/') + 1));
                if (schema == null) {
                    throw new IllegalStateException("the generated CRD of " + kind + " has no "
                            + StrimziModel.API_VERSION + " schema");
                }
                schemas.put(kind, schema);
            }
            return new StrimziCrds(schemas);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating Strimzi's CRDs", e);
        }
    }

    /** One line per schema violation, naming the resource and the JSON path. */
    public List<String> problems(JsonNode document) {
        JsonSchema schema = schemas.get(document.path("kind").asText());
        if (schema == null) {
            return List.of(Manifests.name(document) + ": no CRD generated for this kind " + schemas.keySet());
        }
        return CrdSchemas.problems(schema, document);
    }

    /** What {@link StrimziModel#KINDS} generates, e.g. target/strimzi-crds/KafkaTopic.yaml. */
    private static Path file(Path dir, String kind) {
        return dir.resolve(kind + ".yaml");
    }
}
