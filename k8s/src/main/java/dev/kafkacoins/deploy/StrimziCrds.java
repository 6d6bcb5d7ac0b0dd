package dev.kafkacoins.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
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
 * them), and each document validated against its version's {@code openAPIV3Schema}. The API server prunes fields a
 * structural schema does not declare; here they are rejected instead, by closing every object schema that lists
 * its properties and does not ask to keep unknown fields ({@code x-kubernetes-preserve-unknown-fields}, e.g. a
 * Kafka's {@code config}). Unlike the model, the schema also checks what Jackson would coerce or accept: a quoted
 * number, a value below its minimum, a value outside an enum.
 */
public final class StrimziCrds {

    private static final List<String> KUBERNETES_EXTENSIONS = List.of("x-kubernetes-preserve-unknown-fields",
            "x-kubernetes-int-or-string", "x-kubernetes-validations", "x-kubernetes-list-type",
            "x-kubernetes-list-map-keys", "x-kubernetes-map-type", "x-kubernetes-embedded-resource", "example",
            "nullable");

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
            // Kubernetes' extensions to the schema mean nothing to a JSON Schema validator; declared as such, they
            // are passed over quietly. preserve-unknown-fields is honoured by closeObjects; CEL rules
            // (x-kubernetes-validations) and int-or-string are not evaluated here.
            JsonMetaSchema openApi = JsonMetaSchema.builder(JsonMetaSchema.getV4())
                    .keywords(KUBERNETES_EXTENSIONS.stream().map(NonValidationKeyword::new).toList()).build();
            JsonSchemaFactory factory = JsonSchemaFactory.builder(
                            JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4))
                    .metaSchema(openApi).defaultMetaSchemaIri(openApi.getIri()).build();
            Map<String, JsonSchema> schemas = new LinkedHashMap<>();
            for (String kind : StrimziModel.KINDS.keySet()) {
                JsonNode crd = Manifests.read(file(dir, kind)).getFirst();
                JsonNode schema = null;
                for (JsonNode version : crd.at("/spec/versions")) {
                    if (StrimziModel.API_VERSION.endsWith("/" + version.path("name").asText())) {
                        schema = version.at("/schema/openAPIV3Schema").deepCopy();
                    }
                }
                if (schema == null) {
                    throw new IllegalStateException("the generated CRD of " + kind + " has no "
                            + StrimziModel.API_VERSION + " schema");
                }
                closeObjects(schema);
                schemas.put(kind, factory.getSchema(schema));
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
        return schema.validate(document).stream()
                .map(message -> Manifests.name(document) + ": " + message.getMessage()).sorted().toList();
    }

    /** What {@link StrimziModel#KINDS} generates, e.g. target/strimzi-crds/KafkaTopic.yaml. */
    private static Path file(Path dir, String kind) {
        return dir.resolve(kind + ".yaml");
    }

    private static void closeObjects(JsonNode schema) {
        if (schema instanceof ObjectNode object) {
            boolean keepsUnknown = object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
            if (object.path("type").asText().equals("object") && object.has("properties") && !keepsUnknown
                    && !object.has("additionalProperties")) {
                object.put("additionalProperties", false);
            }
        }
        schema.forEach(StrimziCrds::closeObjects);
    }
}
