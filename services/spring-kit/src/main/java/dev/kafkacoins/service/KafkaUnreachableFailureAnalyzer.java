package dev.kafkacoins.service;

import java.util.concurrent.TimeoutException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * Turns "Could not configure topics ... TimeoutException", what a service says when no broker answers at start-up,
 * into a message that names the address it tried and the setting that changes it.
 */
class KafkaUnreachableFailureAnalyzer extends AbstractFailureAnalyzer<TimeoutException> {

    private final Environment environment;

    KafkaUnreachableFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, TimeoutException cause) {
        if (!isTopicSetup(rootFailure)) {
            return null;
        }
        String servers = environment.getProperty("spring.kafka.bootstrap-servers", "(unset)");
        return new FailureAnalysis(
                "No Kafka broker answered at " + servers + " (spring.kafka.bootstrap-servers) to create the topics.",
                "Start the broker, or point spring.kafka.bootstrap-servers "
                        + "(env SPRING_KAFKA_BOOTSTRAP_SERVERS) at a running one.", cause);
    }

    /** Spring Kafka's KafkaAdmin reports a failed topic set-up with this message somewhere in the chain. */
    private static boolean isTopicSetup(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains("Could not configure topics")) {
                return true;
            }
        }
        return false;
    }
}
