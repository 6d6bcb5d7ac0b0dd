package dev.kafkacoins.local.stack;

import dev.kafkacoins.local.MinerException;
import dev.kafkacoins.protocol.Topic;
import dev.kafkacoins.protocol.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * Creates the registry's topics on the local broker before any service starts, the way Strimzi's topic operator
 * would in a cluster. Doing it once here, rather than racing five services' admin clients, also lets
 * {@code --partitions} grow {@code miner.blocks} on an existing stack.
 */
public final class StackTopics {

    private StackTopics() {
    }

    /** Returns a line per topic it created or changed, and a note when a requested shrink cannot happen. */
    public static List<String> ensure(Admin admin, int blockPartitions) throws InterruptedException {
        List<String> report = new ArrayList<>();
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic<?, ?> topic : Topics.ALL) {
                if (!existing.contains(topic.name())) {
                    missing.add(topic.newTopic(Topics.BLOCKS.equals(topic) ? blockPartitions : topic.partitions(),
                            (short) 1));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                missing.forEach(t -> report.add("created " + t.name() + " (" + t.numPartitions() + " partitions)"));
            }
            if (!existing.contains(Topics.BLOCKS.name())) {
                // Just created with the requested partitions. Describing it now could also race the broker's
                // metadata, which may not know the new topic yet (UnknownTopicOrPartition).
                return report;
            }
            TopicDescription blocks = admin.describeTopics(List.of(Topics.BLOCKS.name())).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(Topics.BLOCKS.name());
            int current = blocks.partitions().size();
            if (current < blockPartitions) {
                admin.createPartitions(Map.of(Topics.BLOCKS.name(), NewPartitions.increaseTo(blockPartitions)))
                        .all().get(30, TimeUnit.SECONDS);
                report.add(Topics.BLOCKS.name() + ": " + current + " → " + blockPartitions + " partitions");
            } else if (current > blockPartitions) {
                report.add(Topics.BLOCKS.name() + " keeps its " + current + " partitions: Kafka cannot remove "
                        + "partitions (./miner up --fresh starts over)");
            }
            return report;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new MinerException("could not create the topics: " + e.getMessage(), e);
        }
    }
}
