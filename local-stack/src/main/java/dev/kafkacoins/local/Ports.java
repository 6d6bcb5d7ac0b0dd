package dev.kafkacoins.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * The stack's ports, all on 127.0.0.1. The defaults sit in a block that common services leave alone, and their
 * last digits echo the usual ones: Kafka 28092, PostgreSQL 28432, the dashboard 28080.
 *
 * @param base     every port not set on its own is {@code base + offset}
 * @param kafka    the broker's client listener; its controller listener is the port after it
 * @param postgres PostgreSQL
 * @param webui    the dashboard
 */
public record Ports(int base, int kafka, int postgres, int webui) {

    static final int DEFAULT_BASE = 28000;
    public static final int MAX_HASHERS = 64;
    public static final String HOST = "127.0.0.1";
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    static Ports from(int base, Integer kafka, Integer postgres, Integer webui) {
        check("--port-base", base);
        Ports ports = new Ports(base, kafka != null ? kafka : base + 92, postgres != null ? postgres : base + 432,
                webui != null ? webui : base + 80);
        // A port derived from the base is the base's fault; a port set on its own is its flag's.
        check(kafka != null ? "--kafka-port" : "--port-base", ports.kafka);
        check(kafka != null ? "--kafka-port" : "--port-base", ports.controller());
        check(postgres != null ? "--postgres-port" : "--port-base", ports.postgres);
        check(webui != null ? "--webui-port" : "--port-base", ports.webui);
        check("--port-base", ports.kafkaMetrics());
        check("--port-base", ports.hasher(MAX_HASHERS));
        return ports;
    }

    private static void check(String flag, int port) {
        if (port < 1024 || port > 65535) {
            throw new MinerException(flag + ": port " + port + " is outside 1024-65535");
        }
    }

    public int controller() {
        return kafka + 1;
    }

    public int rng() {
        return base + 81;
    }

    public int aggregator() {
        return base + 83;
    }

    public int sink() {
        return base + 84;
    }

    /** The supervisor's own control endpoint ({@code scale}, {@code kill}, {@code status}, {@code down}). */
    public int control() {
        return base + 90;
    }

    /** Prometheus under {@code ./miner up --observe}. */
    public int prometheus() {
        return base + 91;
    }

    /** The broker's metrics endpoint (the JMX exporter agent in its JVM) under {@code ./miner up --observe}. */
    /** Zipkin under {@code ./miner up --observe}. */
    public int zipkin() {
        return base + 95;
    }

    public int kafkaMetrics() {
        return base + 94;
    }

    public int hasher(int index) {
        return base + 100 + index;
    }

    /** A port the stack needs and the flag that moves it. */
    record Use(int port, String owner, String flag) {
    }

    public List<Use> uses(int hashers) {
        return uses(hashers, false);
    }

    /** The ports of a stack with {@code hashers} hashers, and Prometheus's two when it is {@code observed}. */
    public List<Use> uses(int hashers, boolean observed) {
        List<Use> uses = new ArrayList<>(List.of(
                new Use(kafka, "kafka", "--kafka-port"),
                new Use(controller(), "kafka controller", "--kafka-port"),
                new Use(postgres, "postgres", "--postgres-port"),
                new Use(webui, "webui", "--webui-port"),
                new Use(rng(), "rng", "--port-base"),
                new Use(aggregator(), "aggregator", "--port-base"),
                new Use(sink(), "sink", "--port-base"),
                new Use(control(), "the miner's control endpoint", "--port-base")));
        if (observed) {
            uses.add(new Use(prometheus(), "prometheus", "--port-base"));
            uses.add(new Use(kafkaMetrics(), "kafka metrics", "--port-base"));
            uses.add(new Use(zipkin(), "zipkin", "--port-base"));
        }
        for (int i = 1; i <= hashers; i++) {
            uses.add(new Use(hasher(i), "hasher-" + i, "--port-base"));
        }
        return uses;
    }

    /** Fails with the port, its owner and the flag to change, for the first port something else holds. */
    public static void requireFree(List<Use> uses) {
        List<Integer> seen = new ArrayList<>();
        for (Use use : uses) {
            if (seen.contains(use.port())) {
                throw new MinerException("port " + use.port() + " is given to two services (" + use.owner()
                        + "): change " + use.flag());
            }
            seen.add(use.port());
            if (!isFree(use.port())) {
                throw new MinerException("port " + use.port() + " (" + use.owner() + ") is in use on 127.0.0.1: "
                        + "stop what holds it, or choose another with " + use.flag());
            }
        }
    }

    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(LOOPBACK, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
