package dev.kafkacoins.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.util.List;
import java.util.Map;

/**
 * Reads Strimzi's kinds through Strimzi's own model classes ({@code io.strimzi:api}) and reports every field the
 * model does not know ({@link UnknownFields}): the operator would ignore a misspelt {@code partitons: 12} without
 * a word.
 */
public final class StrimziModel {

    public static final String API_VERSION = "kafka.strimzi.io/v1";

    static final Map<String, Class<?>> KINDS = Map.of("Kafka", Kafka.class, "KafkaNodePool", KafkaNodePool.class,
            "KafkaTopic", KafkaTopic.class, "KafkaUser", KafkaUser.class);

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
            parsed = UnknownFields.MAPPER.treeToValue(document, type);
        } catch (Exception e) {
            return List.of(name + ": " + e.getMessage().lines().findFirst().orElse(e.toString()));
        }
        return UnknownFields.of(parsed, name);
    }

}
