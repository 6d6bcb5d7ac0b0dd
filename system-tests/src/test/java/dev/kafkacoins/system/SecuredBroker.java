package dev.kafkacoins.system;

import dev.kafkacoins.kit.BrokerSettings;
import dev.kafkacoins.testsupport.ChildJvm;
import dev.kafkacoins.testsupport.ChildProcess;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * A real single-node KRaft broker, in a JVM of its own, that authenticates clients with SCRAM-SHA-512 and
 * authorizes them with Kafka's StandardAuthorizer, as the Strimzi cluster does. Clients connect on a
 * SASL_PLAINTEXT listener (TLS is not what these tests are about); an internal PLAINTEXT listener, whose
 * anonymous principal is the only super user, is how the test sets up users, ACLs and topics.
 * <p>
 * As a program: arguments are the data directory and the three ports (client, internal, controller).
 */
final class SecuredBroker implements AutoCloseable {

    static final String SCRAM = "SCRAM-SHA-512";

    final int clientPort;
    final int internalPort;
    private final ChildJvm process;

    private SecuredBroker(int clientPort, int internalPort, ChildJvm process) {
        this.clientPort = clientPort;
        this.internalPort = internalPort;
        this.process = process;
    }

    static SecuredBroker start(Path dataDir) throws IOException {
        int client = ChildProcess.freePort();
        int internal = ChildProcess.freePort();
        int controller = ChildProcess.freePort();
        ChildJvm process = ChildJvm.start("secured-broker", SecuredBroker.class, List.of(dataDir.toString(),
                Integer.toString(client), Integer.toString(internal), Integer.toString(controller)),
                dataDir.resolveSibling("secured-broker-logs"));
        process.awaitListening(internal, Duration.ofSeconds(90));
        return new SecuredBroker(client, internal, process);
    }

    /** Client settings for the super user, over the internal listener. */
    Map<String, Object> superUser() {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + internalPort);
    }

    /** Client settings for a SCRAM user, over the client listener. */
    Map<String, Object> user(String name, String password) {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + clientPort,
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, SCRAM,
                SaslConfigs.SASL_JAAS_CONFIG, jaas(name, password));
    }

    static String jaas(String name, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + name
                + "\" password=\"" + password + "\";";
    }

    String logTail() {
        return process.logTail(60);
    }

    @Override
    public void close() {
        process.close();
    }

    public static void main(String[] args) throws IOException {
        Path dataDir = Path.of(args[0]);
        int client = Integer.parseInt(args[1]);
        int internal = Integer.parseInt(args[2]);
        int controller = Integer.parseInt(args[3]);
        Files.createDirectories(dataDir);
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controller);
        p.setProperty("listeners", "CLIENT://127.0.0.1:" + client + ",INTERNAL://127.0.0.1:" + internal
                + ",CONTROLLER://127.0.0.1:" + controller);
        p.setProperty("advertised.listeners", "CLIENT://127.0.0.1:" + client + ",INTERNAL://127.0.0.1:" + internal);
        p.setProperty("listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "INTERNAL");
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("sasl.enabled.mechanisms", SCRAM);
        p.setProperty("listener.name.client.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.setProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.setProperty("super.users", "User:ANONYMOUS");
        p.setProperty("allow.everyone.if.no.acl.found", "false");
        p.setProperty("log.dirs", dataDir.resolve("log").toString());
        BrokerSettings.singleNode().forEach(p::setProperty);
        Path config = dataDir.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(config)) {
            p.store(out, "secured test broker");
        }
        int status = kafka.tools.StorageTool.execute(new String[] {"format", "--cluster-id",
            Uuid.randomUuid().toString(), "--config", config.toString()}, System.out);
        if (status != 0) {
            System.exit(status);
        }
        kafka.Kafka.main(new String[] {config.toString()});
    }
}
