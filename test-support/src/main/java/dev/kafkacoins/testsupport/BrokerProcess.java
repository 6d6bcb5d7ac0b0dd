package dev.kafkacoins.testsupport;

import dev.kafkacoins.kit.BrokerSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft broker in a JVM of its own, which a test can kill (SIGKILL, as {@code ./miner kill kafka}
 * does) and start again on the same ports and log directory, as {@code ./miner restart kafka} does: what clients
 * see of a broker outage. The in-JVM embedded broker cannot be restarted on the same port, so this one is started
 * the way Kafka's own scripts start a broker ({@code kafka-storage.sh format}, then {@code kafka.Kafka}).
 */
final class BrokerProcess implements KafkaBroker {

    private final Path dataDirectory;
    private final int port;
    private final int controllerPort;
    private ChildJvm jvm;
    private int starts;

    BrokerProcess() {
        try {
            dataDirectory = Files.createTempDirectory("kafkacoins-broker");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        port = ChildProcess.freePort();
        controllerPort = ChildProcess.freePort();
        start();
    }

    @Override
    public synchronized void start() {
        if (jvm != null && jvm.isAlive()) {
            return;
        }
        starts++;
        jvm = ChildJvm.start("broker-" + starts, BrokerProcess.class, List.of(dataDirectory.toString(),
                Integer.toString(port), Integer.toString(controllerPort)), dataDirectory.resolve("logs"));
        new KafkaProbe(bootstrapServers()).awaitReachable(java.time.Duration.ofSeconds(90), jvm::logTail);
    }

    /** SIGKILL: no controlled shutdown; the next start recovers the log directory as after a crash. */
    @Override
    public synchronized void stop() {
        if (jvm != null) {
            jvm.kill();
        }
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public String kind() {
        return "process";
    }

    @Override
    public synchronized void close() {
        stop();
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dataDirectory + ": " + e);
        }
    }

    /** The broker JVM: arguments data directory, client port, controller port. */
    public static void main(String[] args) throws IOException {
        Path data = Path.of(args[0]);
        Path logDir = data.resolve("kraft");
        Path config = data.resolve("server.properties");
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + args[2]);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + args[1] + ",CONTROLLER://127.0.0.1:" + args[2]);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + args[1]);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", logDir.toString());
        BrokerSettings.singleNode().forEach(p::setProperty);
        // Fewer partitions of the internal topics than the default 50: created in a second on a loaded machine.
        p.setProperty("offsets.topic.num.partitions", "6");
        p.setProperty("transaction.state.log.num.partitions", "6");
        try (Writer out = Files.newBufferedWriter(config)) {
            p.store(out, null);
        }
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            int status = kafka.tools.StorageTool.execute(new String[] {
                "format", "--cluster-id", Uuid.randomUuid().toString(), "--config", config.toString()}, System.out);
            if (status != 0) {
                System.exit(status);
            }
        }
        kafka.Kafka.main(new String[] {config.toString()});
    }
}
