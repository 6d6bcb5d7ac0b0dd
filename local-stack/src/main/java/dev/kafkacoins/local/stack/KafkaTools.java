package dev.kafkacoins.local.stack;

import dev.kafkacoins.local.MinerException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Kafka's own command-line tools, the ones its {@code bin/kafka-*.sh} scripts run, from the jars on Maven Central,
 * pointed at the local broker. Each tool's arguments are exactly Kafka's.
 */
public final class KafkaTools {

    /** name → main class, and whether the tool takes {@code --bootstrap-server}. */
    private record Tool(String mainClass, boolean bootstrap) {
    }

    private static final Map<String, Tool> TOOLS = new LinkedHashMap<>();

    static {
        TOOLS.put("topics", new Tool("org.apache.kafka.tools.TopicCommand", true));
        TOOLS.put("consumer-groups", new Tool("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand", true));
        TOOLS.put("console-consumer", new Tool("org.apache.kafka.tools.consumer.ConsoleConsumer", true));
        TOOLS.put("console-producer", new Tool("org.apache.kafka.tools.ConsoleProducer", true));
        TOOLS.put("get-offsets", new Tool("org.apache.kafka.tools.GetOffsetShell", true));
        TOOLS.put("transactions", new Tool("org.apache.kafka.tools.TransactionsCommand", true));
        TOOLS.put("metadata-quorum", new Tool("org.apache.kafka.tools.MetadataQuorumCommand", true));
        TOOLS.put("log-dirs", new Tool("org.apache.kafka.tools.LogDirsCommand", true));
        TOOLS.put("configs", new Tool("kafka.admin.ConfigCommand", true));
        // The performance tools take the broker in their own way: --bootstrap-server for the consumer,
        // --producer-props bootstrap.servers=… for the producer.
        TOOLS.put("consumer-perf-test", new Tool("org.apache.kafka.tools.ConsumerPerformance", true));
        TOOLS.put("producer-perf-test", new Tool("org.apache.kafka.tools.ProducerPerformance", false));
    }

    /** The options by which Kafka 4's tools take a client config file (the old names still work). */
    private static final List<String> OWN_CONFIG = List.of("--command-config", "--consumer.config",
            "--producer.config");

    private KafkaTools() {
    }

    private static Tool tool(String name) {
        Tool tool = TOOLS.get(name.startsWith("kafka-") ? name.substring("kafka-".length()) : name);
        if (tool == null) {
            throw new MinerException("no Kafka tool named '" + name + "'; these run here: "
                    + String.join(", ", TOOLS.keySet()));
        }
        return tool;
    }

    /**
     * @param commandConfig the admin's client settings (SASL): the broker lets nobody in without them, so every tool
     *                      gets them unless the user names a config of their own
     */
    public static void run(String name, List<String> args, Supplier<String> bootstrapServers, Path commandConfig)
            throws Exception {
        Tool tool = tool(name);
        List<String> full = new ArrayList<>(args);
        boolean ownConfig = args.stream().anyMatch(a -> OWN_CONFIG.contains(a.split("=", 2)[0]));
        if (!ownConfig && !args.contains("--help") && !args.contains("--version")) {
            full.addAll(List.of("--command-config", commandConfig.toString()));
        }
        if (!tool.bootstrap() && !args.contains("--help") && !args.contains("--producer-props")) {
            // ProducerPerformance takes the broker among its producer properties; given any, give bootstrap.servers too.
            full.addAll(List.of("--producer-props", "bootstrap.servers=" + bootstrapServers.get()));
        }
        boolean asksForHelp = args.contains("--help") || args.contains("--version");
        if (tool.bootstrap() && !asksForHelp && !args.contains("--bootstrap-server")) {
            full.addAll(0, List.of("--bootstrap-server", bootstrapServers.get()));
        }
        Method main = Class.forName(tool.mainClass()).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) full.toArray(String[]::new));
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
