package dev.kafkacoins.local;

import dev.kafkacoins.service.BrokerSettings;
import dev.kafkacoins.service.ParentWatch;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.Uuid;

/**
 * The stack's Kafka broker: one KRaft node that is both broker and controller, started the way Kafka's own
 * {@code kafka-storage.sh format} and {@code kafka-server-start.sh} start it, from the jars on Maven Central.
 * <p>
 * Arguments: log directory, server.properties to write, client port, controller port.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws IOException {
        ParentWatch.startIfRequested();
        Path logDir = Path.of(args[0]);
        Path config = Path.of(args[1]);
        int port = Integer.parseInt(args[2]);
        int controllerPort = Integer.parseInt(args[3]);

        Files.createDirectories(logDir);
        Files.createDirectories(config.getParent());
        try (Writer out = Files.newBufferedWriter(config)) {
            serverProperties(logDir, port, controllerPort).store(out, "written by ./miner at every start");
        }
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            // First start on this data directory: give it a cluster id, as kafka-storage.sh format does.
            int status = kafka.tools.StorageTool.execute(new String[] {
                "format", "--cluster-id", Uuid.randomUuid().toString(), "--config", config.toString()}, System.out);
            if (status != 0) {
                System.err.println("formatting " + logDir + " failed with status " + status);
                System.exit(status);
            }
        }
        kafka.Kafka.main(new String[] {config.toString()});
    }

    static Properties serverProperties(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@" + Ports.HOST + ":" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://" + Ports.HOST + ":" + port + ",CONTROLLER://" + Ports.HOST + ":"
                + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + Ports.HOST + ":" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", logDir.toString());
        // Keep a local demo's disk use bounded: a day of blocks, or 256 MiB a partition.
        p.setProperty("log.retention.hours", "24");
        p.setProperty("log.retention.bytes", Long.toString(256L << 20));
        BrokerSettings.singleNode().forEach(p::setProperty);
        return p;
    }
}
