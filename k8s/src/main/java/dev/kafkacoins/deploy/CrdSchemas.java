package dev.kafkacoins.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import java.util.List;

/**
 * A CustomResourceDefinition's {@code openAPIV3Schema} as a closed JSON schema: the API server prunes fields a
 * structural schema does not declare; here they are rejected instead, by closing every object schema that lists
 * its properties and does not ask to keep unknown fields ({@code x-kubernetes-preserve-unknown-fields}). Shared by
 * Strimzi's generated CRDs and the Prometheus Operator's released ones.
 */
final class CrdSchemas {

    private static final List<String> KUBERNETES_EXTENSIONS = List.of("x-kubernetes-preserve-unknown-fields",
            "x-kubernetes-int-or-string", "x-kubernetes-validations", "x-kubernetes-list-type",
            "x-kubernetes-list-map-keys", "x-kubernetes-map-type", "x-kubernetes-embedded-resource", "example",
            "nullable");

    /**
     * Kubernetes' extensions to the schema mean nothing to a JSON Schema validator; declared as such, they are
     * passed over quietly. preserve-unknown-fields is honoured by {@link #closeObjects}; CEL rules
     * (x-kubernetes-validations) and int-or-string are not evaluated here.
     */
    private static final JsonSchemaFactory FACTORY = factory();

    private CrdSchemas() {
    }

    /** The closed schema of {@code crd}'s version {@code version} (e.g. "v1"), or null if it has none. */
    static JsonSchema of(JsonNode crd, String version) {
        for (JsonNode served : crd.at("/spec/versions")) {
            if (served.path("name").asText().equals(version)) {
                JsonNode schema = served.at("/schema/openAPIV3Schema").deepCopy();
                closeObjects(schema);
                return FACTORY.getSchema(schema);
            }
        }
        return null;
    }

    /** One line per schema violation, naming the resource and the JSON path. */
    static List<String> problems(JsonSchema schema, JsonNode document) {
        return schema.validate(document).stream()
                .map(message -> Manifests.name(document) + ": " + message.getMessage()).sorted().toList();
    }

    private static JsonSchemaFactory factory() {
        JsonMetaSchema openApi = JsonMetaSchema.builder(JsonMetaSchema.getV4())
                .keywords(KUBERNETES_EXTENSIONS.stream().map(NonValidationKeyword::new).toList()).build();
        return JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4))
                .metaSchema(openApi).defaultMetaSchemaIri(openApi.getIri()).build();
    }

    private static void closeObjects(JsonNode schema) {
        if (schema instanceof ObjectNode object) {
            boolean keepsUnknown = object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
            if (object.path("type").asText().equals("object") && object.has("properties") && !keepsUnknown
                    && !object.has("additionalProperties")) {
                object.put("additionalProperties", false);
            }
        }
        schema.forEach(CrdSchemas::closeObjects);
    }
}
