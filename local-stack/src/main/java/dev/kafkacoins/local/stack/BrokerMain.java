package dev.kafkacoins.local.stack;

import dev.kafkacoins.kit.BrokerSettings;
import dev.kafkacoins.kit.ParentWatch;
import dev.kafkacoins.local.Ports;
import dev.kafkacoins.local.Secrets;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import org.apache.kafka.common.Uuid;

/**
 * The stack's Kafka broker: one KRaft node that is both broker and controller, started the way Kafka's own
 * {@code kafka-storage.sh format} and {@code kafka-server-start.sh} start it, from the jars on Maven Central.
 * <p>
 * <p>
 * Nobody gets in unauthenticated: clients connect with SCRAM-SHA-512 as one of the users {@link KafkaUsers} sets up,
 * and Kafka's StandardAuthorizer allows each only its ACLs, as on the Strimzi cluster. The admin user, the only
 * super user besides the broker's own controller connection (SASL PLAIN, whose user list is in this file's config),
 * is written into the log directory when it is formatted ({@code kafka-storage.sh format --add-scram}): SCRAM users
 * live in the cluster's metadata, and the broker needs one before any client can create it.
 * <p>
 * Arguments: log directory, server.properties to write (owner-only: it holds passwords), client port, controller
 * port, the stack's passwords file.
 */
public final class BrokerMain {

    /** Written when the log directory is formatted with the admin user; one formatted before lacks it. */
    private static final String SECURED_MARKER = "kafkacoins-scram";

    private BrokerMain() {
    }

    public static void main(String[] args) throws IOException {
        ParentWatch.startIfRequested();
        Path logDir = Path.of(args[0]);
        Path config = Path.of(args[1]);
        int port = Integer.parseInt(args[2]);
        int controllerPort = Integer.parseInt(args[3]);
        Secrets secrets = Secrets.read(Path.of(args[4]));
        String admin = secrets.password(KafkaUsers.secretName(KafkaUsers.ADMIN));
        String controller = secrets.password(KafkaUsers.secretName(KafkaUsers.CONTROLLER));

        Files.createDirectories(logDir);
        Files.createDirectories(config.getParent());
        Files.deleteIfExists(config);
        Files.createFile(config, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer out = Files.newBufferedWriter(config)) {
            serverProperties(logDir, port, controllerPort, admin, controller).store(out,
                    "written by ./miner at every start");
        }
        Path secured = logDir.resolve(SECURED_MARKER);
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            // First start on this data directory: give it a cluster id and its admin, as kafka-storage.sh format does.
            int status = kafka.tools.StorageTool.execute(new String[] {
                "format", "--cluster-id", Uuid.randomUuid().toString(), "--config", config.toString(),
                "--add-scram", KafkaUsers.MECHANISM + "=[name=" + KafkaUsers.ADMIN + ",password=" + admin + "]"},
                System.out);
            if (status != 0) {
                System.err.println("formatting " + logDir + " failed with status " + status);
                System.exit(status);
            }
            Files.writeString(secured, "");
        } else if (!Files.exists(secured)) {
            System.err.println(logDir + " was formatted without SCRAM users (by an earlier ./miner): ./miner up --fresh "
                    + "starts over with an authenticating broker");
            System.exit(2);
        }
        kafka.Kafka.main(new String[] {config.toString()});
    }

    static Properties serverProperties(Path logDir, int port, int controllerPort, String adminPassword,
                                       String controllerPassword) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@" + Ports.HOST + ":" + controllerPort);
        p.setProperty("listeners", "CLIENT://" + Ports.HOST + ":" + port + ",CONTROLLER://" + Ports.HOST + ":"
                + controllerPort);
        p.setProperty("advertised.listeners", "CLIENT://" + Ports.HOST + ":" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        // Clients, and the broker's own inter-broker connections (transaction markers), use SCRAM as the admin.
        p.setProperty("inter.broker.listener.name", "CLIENT");
        p.setProperty("sasl.mechanism.inter.broker.protocol", KafkaUsers.MECHANISM);
        p.setProperty("listener.name.client.sasl.enabled.mechanisms", KafkaUsers.MECHANISM);
        p.setProperty("listener.name.client.scram-sha-512.sasl.jaas.config",
                KafkaUsers.jaas(KafkaUsers.ADMIN, adminPassword));
        // A KRaft controller cannot read SCRAM users (they are in the metadata it serves), so its listener uses
        // PLAIN with one user listed here; it is no less closed to others.
        p.setProperty("sasl.mechanism.controller.protocol", "PLAIN");
        p.setProperty("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        p.setProperty("listener.name.controller.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + KafkaUsers.CONTROLLER
                        + "\" password=\"" + controllerPassword + "\" user_" + KafkaUsers.CONTROLLER + "=\""
                        + controllerPassword + "\";");
        p.setProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.setProperty("super.users", "User:" + KafkaUsers.ADMIN + ";User:" + KafkaUsers.CONTROLLER);
        p.setProperty("allow.everyone.if.no.acl.found", "false");
        p.setProperty("log.dirs", logDir.toString());
        // Keep a local demo's disk use bounded: a day of blocks, or 256 MiB a partition.
        p.setProperty("log.retention.hours", "24");
        p.setProperty("log.retention.bytes", Long.toString(256L << 20));
        BrokerSettings.singleNode().forEach(p::setProperty);
        return p;
    }
}
