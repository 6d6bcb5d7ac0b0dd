package dev.kafkacoins.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Prometheus Operator's kinds ({@code monitoring.coreos.com/v1} PodMonitor, ServiceMonitor, PrometheusRule)
 * validated against the CRD schemas of its release, kept in this module's resources (their README names the
 * source), closed so that an unknown field is rejected ({@link CrdSchemas}). The schemas also check types, enums
 * and patterns (a duration such as {@code interval: 30 s}). The operator's CEL rules are not evaluated.
 */
public final class MonitoringCrds {

    public static final String API_VERSION = "monitoring.coreos.com/v1";

    /** The release the schemas come from; the cluster's operator should be this version or a later one. */
    public static final String RELEASE = "v0.93.0";

    /** kind → the CRD file of its plural. */
    static final Map<String, String> KINDS = Map.of("PodMonitor", "podmonitors", "ServiceMonitor", "servicemonitors",
            "PrometheusRule", "prometheusrules");

    private static final Map<String, JsonSchema> SCHEMAS = load();

    private MonitoringCrds() {
    }

    public static boolean isMonitoring(JsonNode document) {
        return document.path("apiVersion").asText().startsWith("monitoring.coreos.com/");
    }

    /** What is wrong with one monitoring document: its version, its kind, each schema violation. */
    public static List<String> problems(JsonNode document) {
        String name = Manifests.name(document);
        String apiVersion = document.path("apiVersion").asText();
        if (!API_VERSION.equals(apiVersion)) {
            return List.of(name + ": apiVersion " + apiVersion + ", the Prometheus Operator's resources here are "
                    + API_VERSION);
        }
        JsonSchema schema = SCHEMAS.get(document.path("kind").asText());
        if (schema == null) {
            return List.of(name + ": not a kind validated here (" + SCHEMAS.keySet() + ")");
        }
        return CrdSchemas.problems(schema, document);
    }

    private static Map<String, JsonSchema> load() {
        Map<String, JsonSchema> schemas = new LinkedHashMap<>();
        KINDS.forEach((kind, plural) -> {
            String file = "/prometheus-operator-crds/monitoring.coreos.com_" + plural + ".yaml";
            try (InputStream in = Objects.requireNonNull(MonitoringCrds.class.getResourceAsStream(file), file)) {
                JsonNode crd = Manifests.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getFirst();
                if (!crd.at("/spec/names/kind").asText().equals(kind)) {
                    throw new IllegalStateException(file + " is not the CRD of " + kind);
                }
                JsonSchema schema = CrdSchemas.of(crd, API_VERSION.substring(API_VERSION.indexOf('/') + 1));
                if (schema == null) {
                    throw new IllegalStateException(file + " has no " + API_VERSION + " schema");
                }
                schemas.put(kind, schema);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        });
        return schemas;
    }
}
