package dev.kafkacoins.local.stack;

import java.util.List;
import java.util.Map;

/**
 * One process of the stack and how to tell it is ready.
 *
 * @param name      what the user types: {@code kafka}, {@code hasher-2}, {@code webui}
 * @param command   the full command line
 * @param port      the port it serves on 127.0.0.1 (its HTTP port for the Spring services), 0 for none
 * @param readiness   how to tell it is ready
 * @param environment added to the supervisor's environment: how credentials reach a process (a command line is
 *                    visible to every local user in {@code ps}, a process's environment only to its owner)
 */
public record ServiceSpec(String name, List<String> command, int port, Readiness readiness, Map<String, String> environment) {

    private static final String INSTANCE_ID = "--hasher.instance-id=";

    public ServiceSpec {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }

    ServiceSpec(String name, List<String> command, int port, Readiness readiness) {
        this(name, command, port, readiness, Map.of());
    }

    /** How the supervisor knows a process is ready. */
    public enum Readiness {
        /** The broker answers a metadata request. */
        KAFKA,
        /** PostgreSQL accepts a connection to the kafkacoins database. */
        POSTGRES,
        /** A Spring Boot service whose readiness group reports UP. */
        ACTUATOR,
        /** Prometheus answers {@code /-/ready} (with the stack's credentials). */
        PROMETHEUS,
        /** Zipkin answers {@code /health} (with the stack's credentials). */
        ZIPKIN,
        /** A one-shot job: ready means it exited with status 0. */
        EXIT_ZERO
    }

    public boolean isHasher() {
        return name.startsWith(Catalog.HASHER_PREFIX);
    }

    /** What the client ids of a hasher's threads in the hasher group start with: its instance id and "-t". */
    public String hasherClientPrefix() {
        return command.stream().filter(arg -> arg.startsWith(INSTANCE_ID))
                .map(arg -> arg.substring(INSTANCE_ID.length()) + "-t").findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " has no " + INSTANCE_ID));
    }
}
