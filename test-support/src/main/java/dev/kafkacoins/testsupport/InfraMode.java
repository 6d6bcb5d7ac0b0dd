package dev.kafkacoins.testsupport;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * How tests get their broker and database, from the system property {@value #PROPERTY}:
 * {@code auto} (default: containers when a Docker engine answers, embedded otherwise), {@code embedded} or
 * {@code containers}.
 */
enum InfraMode {
    EMBEDDED, CONTAINERS;

    static final String PROPERTY = "kafkacoins.test.infra";
    private static final Logger LOG = LoggerFactory.getLogger(InfraMode.class);

    static InfraMode current() {
        String value = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "embedded" -> EMBEDDED;
            case "containers" -> CONTAINERS;
            case "auto", "" -> dockerAnswers() ? CONTAINERS : EMBEDDED;
            default -> throw new IllegalArgumentException(
                    "-D" + PROPERTY + "=" + value + " is not one of auto, embedded, containers");
        };
    }

    private static boolean dockerAnswers() {
        try {
            boolean available = DockerClientFactory.instance().isDockerAvailable();
            LOG.info("Docker engine {}: using {} test infrastructure", available ? "found" : "not found",
                    available ? "Testcontainers" : "embedded");
            return available;
        } catch (RuntimeException | LinkageError e) {
            LOG.info("Docker engine not usable ({}): using embedded test infrastructure", e.toString());
            return false;
        }
    }
}
