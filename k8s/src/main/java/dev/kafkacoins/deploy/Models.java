package dev.kafkacoins.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The schema check for any document: Strimzi's model, KEDA's shape, or fabric8's model of the built-in kinds. */
public final class Models {

    private Models() {
    }

    public static List<String> problems(JsonNode document) {
        if (StrimziModel.isStrimzi(document)) {
            return StrimziModel.problems(document);
        }
        if (KedaShape.isKeda(document)) {
            return KedaShape.problems(document);
        }
        return KubernetesModel.problems(document);
    }
}
