package dev.kafkacoins.service;

import dev.kafkacoins.kit.ParentWatch;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Defaults every KafkaCoins service starts with, at the lowest precedence (any property, environment variable
 * or argument overrides them). They live in code rather than in an {@code application.yml} because several
 * services share one classpath in tests and the local stack, where a single resource name would collide.
 */
public final class ServiceDefaults {

    private ServiceDefaults() {
    }

    /**
     * @param name       the service name (metrics tag, logs)
     * @param port its HTTP port for health and metrics, on 127.0.0.1 unless overridden
     */
    public static SpringApplicationBuilder application(Class<?> main, String name, int port) {
        ParentWatch.startIfRequested();
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("spring.application.name", name);
        defaults.put("spring.kafka.bootstrap-servers", "127.0.0.1:9092");
        // Stop with a clear error when the broker cannot be reached to create topics, rather than poll topics
        // that do not exist.
        defaults.put("spring.kafka.admin.fail-fast", true);
        defaults.put("server.port", port);
        defaults.put("server.address", "127.0.0.1");
        defaults.put("server.shutdown", "graceful");
        defaults.put("management.endpoints.web.exposure.include", "health,info,prometheus,metrics");
        defaults.put("management.endpoint.health.probes.enabled", true);
        defaults.put("management.endpoint.health.show-details", "always");
        // The probes see the service's own state, not only Spring's: a dead loop fails liveness (restart), and a
        // broker or database that is away fails readiness (no traffic, no restart). See ServiceHealth.
        defaults.put("management.endpoint.health.group.liveness.include", "livenessState," + ServiceHealth.LOOPS);
        defaults.put("management.endpoint.health.group.readiness.include",
                "readinessState," + ServiceHealth.DEPENDENCIES);
        defaults.put("management.metrics.tags.application", name);
        // Every Kafka client's app-info meters (start time, version, commit) carry only its client.id, so a
        // hasher's consumer and producer, which share one id, would register the same meter twice; they say
        // nothing a dashboard uses.
        defaults.put("management.metrics.enable.kafka.app.info", false);
        // Tracing is off unless asked for (./miner up --observe turns it on and points it at its Zipkin): off, the
        // tracer is a no-op and no record carries a trace header. On, W3C trace context only, the header
        // RecordTracing reads, and the same header whichever service starts the trace.
        defaults.put("management.tracing.enabled", false);
        defaults.put("management.tracing.propagation.type", "w3c");
        // With tracing on, Micrometer would add exemplars (trace ids) to the histograms, and a Prometheus before
        // 2.43 (Debian 12's is 2.42) refuses a whole scrape for an exemplar on a _count: the target goes down.
        defaults.put("management.tracing.exemplars.include", "none");
        // Spring Security's own spans (filter chain, authorization) around each of the webui's requests say nothing
        // about a block.
        defaults.put("management.observations.enable.spring.security", false);
        return new SpringApplicationBuilder(main).properties(defaults);
    }
}
