package dev.kafkacoins.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A structural check of KEDA's ScaledObject and TriggerAuthentication: known fields only, the right JSON types,
 * required fields present, and for the Kafka trigger only the metadata keys the Kafka scaler reads (it ignores
 * others silently, so a misspelt {@code lagTreshold} would scale on the default). KEDA publishes no Java model of
 * its resources on Maven Central, so the shape below is written by hand from KEDA 2.x's documented fields, and
 * only as deep as this project uses them.
 */
public final class KedaShape {

    public static final String API_VERSION = "keda.sh/v1alpha1";

    /** What a field must be. */
    sealed interface Shape permits Obj, ListOf, MapOf, Scalar {
    }

    record Obj(Map<String, Shape> fields, Set<String> required) implements Shape {
    }

    record ListOf(Shape item) implements Shape {
    }

    record MapOf(Shape value) implements Shape {
    }

    enum Scalar implements Shape { STRING, INT, BOOL, ANY }

    private static final Obj REFERENCE = new Obj(Map.of("parameter", Scalar.STRING, "name", Scalar.STRING,
            "key", Scalar.STRING), Set.of("parameter", "name", "key"));

    private static final Obj SCALED_OBJECT = new Obj(Map.ofEntries(
            Map.entry("scaleTargetRef", new Obj(Map.of("name", Scalar.STRING, "kind", Scalar.STRING,
                    "apiVersion", Scalar.STRING, "envSourceContainerName", Scalar.STRING), Set.of("name"))),
            Map.entry("pollingInterval", Scalar.INT),
            Map.entry("cooldownPeriod", Scalar.INT),
            Map.entry("initialCooldownPeriod", Scalar.INT),
            Map.entry("idleReplicaCount", Scalar.INT),
            Map.entry("minReplicaCount", Scalar.INT),
            Map.entry("maxReplicaCount", Scalar.INT),
            Map.entry("fallback", Scalar.ANY),
            Map.entry("advanced", Scalar.ANY),
            Map.entry("triggers", new ListOf(new Obj(Map.of(
                    "type", Scalar.STRING,
                    "name", Scalar.STRING,
                    // A map of strings: an unquoted `false` or `5` is rejected by KEDA's CRD schema.
                    "metadata", new MapOf(Scalar.STRING),
                    "authenticationRef", new Obj(Map.of("name", Scalar.STRING, "kind", Scalar.STRING),
                            Set.of("name")),
                    "metricType", Scalar.STRING,
                    "useCachedMetrics", Scalar.BOOL), Set.of("type", "metadata"))))),
            Set.of("scaleTargetRef", "triggers"));

    private static final Obj TRIGGER_AUTHENTICATION = new Obj(Map.of(
            "secretTargetRef", new ListOf(REFERENCE),
            "configMapTargetRef", new ListOf(REFERENCE),
            "env", new ListOf(new Obj(Map.of("parameter", Scalar.STRING, "name", Scalar.STRING,
                    "containerName", Scalar.STRING), Set.of("parameter", "name"))),
            "podIdentity", Scalar.ANY,
            "hashiCorpVault", Scalar.ANY,
            "boundServiceAccountToken", Scalar.ANY), Set.of());

    private static final Map<String, Obj> SPECS = Map.of("ScaledObject", SCALED_OBJECT,
            "TriggerAuthentication", TRIGGER_AUTHENTICATION);

    /** What the Kafka scaler reads from a trigger's metadata. */
    static final Set<String> KAFKA_TRIGGER_KEYS = Set.of("bootstrapServers", "consumerGroup", "topic",
            "lagThreshold", "activationLagThreshold", "offsetResetPolicy", "allowIdleConsumers",
            "scaleToZeroOnInvalidOffset", "excludePersistentLag", "limitToPartitionsWithLag", "version",
            "partitionLimitation", "sasl", "tls", "unsafeSsl");

    private KedaShape() {
    }

    public static boolean isKeda(JsonNode document) {
        return document.path("apiVersion").asText().startsWith("keda.sh/");
    }

    public static List<String> problems(JsonNode document) {
        String name = Manifests.name(document);
        if (!API_VERSION.equals(document.path("apiVersion").asText())) {
            return List.of(name + ": apiVersion " + document.path("apiVersion").asText() + ", KEDA serves "
                    + API_VERSION);
        }
        Obj spec = SPECS.get(document.path("kind").asText());
        if (spec == null) {
            return List.of(name + ": not a KEDA kind KafkaCoins deploys (" + SPECS.keySet() + ")");
        }
        List<String> problems = new ArrayList<>();
        check(document, new Obj(Map.of("apiVersion", Scalar.STRING, "kind", Scalar.STRING, "metadata", Scalar.ANY,
                "spec", spec), Set.of("metadata", "spec")), "", name, problems);
        for (JsonNode trigger : document.at("/spec/triggers")) {
            if (trigger.path("type").asText().equals("kafka")) {
                trigger.path("metadata").fieldNames().forEachRemaining(key -> {
                    if (!KAFKA_TRIGGER_KEYS.contains(key)) {
                        problems.add(name + ": the kafka trigger does not read metadata." + key);
                    }
                });
            }
        }
        return problems;
    }

    private static void check(JsonNode node, Shape shape, String path, String name, List<String> problems) {
        String at = path.isEmpty() ? "(document)" : path;
        switch (shape) {
            case Obj obj -> {
                if (!node.isObject()) {
                    problems.add(name + ": " + at + " must be an object");
                    return;
                }
                obj.required().stream().filter(f -> !node.has(f)).sorted()
                        .forEach(f -> problems.add(name + ": missing field " + path + f));
                node.properties().forEach(field -> {
                    Shape child = obj.fields().get(field.getKey());
                    if (child == null) {
                        problems.add(name + ": unknown field " + path + field.getKey());
                    } else {
                        check(field.getValue(), child, path + field.getKey() + ".", name, problems);
                    }
                });
            }
            case ListOf list -> {
                if (!node.isArray()) {
                    problems.add(name + ": " + at + " must be a list");
                    return;
                }
                for (int i = 0; i < node.size(); i++) {
                    check(node.get(i), list.item(), trim(path) + "[" + i + "].", name, problems);
                }
            }
            case MapOf map -> {
                if (!node.isObject()) {
                    problems.add(name + ": " + at + " must be a map");
                    return;
                }
                node.properties().forEach(field -> check(field.getValue(), map.value(),
                        path + field.getKey() + ".", name, problems));
            }
            case Scalar scalar -> {
                boolean ok = switch (scalar) {
                    case STRING -> node.isTextual();
                    case INT -> node.isIntegralNumber();
                    case BOOL -> node.isBoolean();
                    case ANY -> true;
                };
                if (!ok) {
                    problems.add(name + ": " + trim(path) + " must be a " + scalar.name().toLowerCase(Locale.ROOT)
                            + ", got " + node.getNodeType().name().toLowerCase(Locale.ROOT) + " " + node);
                }
            }
        }
    }

    private static String trim(String path) {
        return path.endsWith(".") ? path.substring(0, path.length() - 1) : path;
    }
}
