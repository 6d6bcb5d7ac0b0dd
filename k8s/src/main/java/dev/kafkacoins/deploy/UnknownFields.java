package dev.kafkacoins.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields of a parsed Strimzi or fabric8 model object that its classes do not know. Both models keep unknown
 * fields in {@code additionalProperties} instead of failing (so that a client can round-trip resources newer than
 * itself), and Kubernetes would then drop or ignore a misspelt field without a word. Jackson has no switch for
 * this (any-setters take precedence over FAIL_ON_UNKNOWN_PROPERTIES), so this walks the parsed objects and
 * reports whatever landed there, with its path.
 */
final class UnknownFields {

    /** Parses a document into a model class, failing on wrong types and nulls for primitives. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private UnknownFields() {
    }

    /** One line per unknown field: "{@code name}: unknown field spec.template.spec.containers[0].imagePullPolcy". */
    static List<String> of(Object parsed, String name) {
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
