package dev.kafkacoins.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;

/**
 * The schema check for any document: Strimzi's model and CRD schemas, the Prometheus Operator's CRD schemas,
 * KEDA's shape, or fabric8's model of the built-in kinds.
 */
public final class Models {

    /**
     * Generated once per JVM into the module's build folder, with the jars the build copied there (the checks run
     * with the module as working directory).
     */
    private static final class Crds {
        static final StrimziCrds STRIMZI = StrimziCrds.generate(Path.of("target", "crd-generator"),
                Path.of("target", "strimzi-crds"));
    }

    private Models() {
    }

    static StrimziCrds strimziCrds() {
        return Crds.STRIMZI;
    }

    public static List<String> problems(JsonNode document) {
        if (StrimziModel.isStrimzi(document)) {
            List<String> problems = StrimziModel.problems(document);
            // A wrong apiVersion or kind has no schema to check against; the model has said so.
            return problems.isEmpty() ? Crds.STRIMZI.problems(document) : problems;
        }
        if (MonitoringCrds.isMonitoring(document)) {
            return MonitoringCrds.problems(document);
        }
        if (KedaShape.isKeda(document)) {
            return KedaShape.problems(document);
        }
        return KubernetesModel.problems(document);
    }
}
