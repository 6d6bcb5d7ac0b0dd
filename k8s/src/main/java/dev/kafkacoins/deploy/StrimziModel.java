package dev.kafkacoins.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads Strimzi's kinds through Strimzi's own model classes ({@code io.strimzi:api}) and reports every field the
 * model does not know. The model does not reject unknown fields: it keeps them in {@code additionalProperties}
 * (so that an operator can round-trip newer resources), and the operator would then ignore a misspelt
 * {@code partitons: 12} without a word. So this walks the parsed objects and reports whatever landed there.
 * Jackson has no switch for this (any-setters take precedence over FAIL_ON_UNKNOWN_PROPERTIES), hence the walk.
 */
public final class StrimziModel {

    public static final String API_VERSION = "kafka.strimzi.io/v1";

    static final Map<String, Class<?>> KINDS = Map.of("Kafka", Kafka.class, "KafkaNodePool", KafkaNodePool.class,
            "KafkaTopic", KafkaTopic.class, "KafkaUser", KafkaUser.class);

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private StrimziModel() {
    }

    public static boolean isStrimzi(JsonNode document) {
        return document.path("apiVersion").asText().startsWith("kafka.strimzi.io/");
    }

    /** What is wrong with one Strimzi document: its version, its kind, and each field the model does not know. */
    public static List<String> problems(JsonNode document) {
        String name = Manifests.name(document);
        String apiVersion = document.path("apiVersion").asText();
        if (!API_VERSION.equals(apiVersion)) {
            return List.of(name + ": apiVersion " + apiVersion + ", this cluster's operator serves " + API_VERSION);
        }
        Class<?> type = KINDS.get(document.path("kind").asText());
        if (type == null) {
            return List.of(name + ": not a kind KafkaCoins deploys (" + KINDS.keySet() + ")");
        }
        Object parsed;
        try {
            parsed = MAPPER.treeToValue(document, type);
        } catch (Exception e) {
            return List.of(name + ": " + e.getMessage().lines().findFirst().orElse(e.toString()));
        }
        List<String> problems = new ArrayList<>();
        walk(parsed, "", name, problems, Collections.newSetFromMap(new IdentityHashMap<>()));
        return problems;
    }

    private static void walk(Object value, String path, String name, List<String> problems, Set<Object> seen) {
        if (value == null || !isModel(value.getClass()) || !seen.add(value)) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            String property = property(getter.getName());
            if (property == null) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (property.equals("additionalProperties")) {
                if (child instanceof Map<?, ?> unknown) {
                    unknown.keySet().forEach(field -> problems.add(name + ": unknown field " + path + field));
                }
            } else if (child instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    walk(list.get(i), path + property + "[" + i + "].", name, problems, seen);
                }
            } else if (child instanceof Map<?, ?> map) {
                map.forEach((key, item) -> walk(item, path + property + "." + key + ".", name, problems, seen));
            } else {
                walk(child, path + property + ".", name, problems, seen);
            }
        }
    }

    /** Strimzi's and fabric8's model classes, the ones that keep unknown fields; not enums or JDK types. */
    private static boolean isModel(Class<?> type) {
        String name = type.getName();
        return !type.isEnum() && (name.startsWith("io.strimzi.api.") || name.startsWith("io.fabric8.kubernetes.api."));
    }

    private static String property(String getter) {
        String rest = getter.startsWith("get") ? getter.substring(3) : getter.startsWith("is") ? getter.substring(2)
                : null;
        if (rest == null || rest.isEmpty()) {
            return null;
        }
        return Character.toLowerCase(rest.charAt(0)) + rest.substring(1);
    }
}
