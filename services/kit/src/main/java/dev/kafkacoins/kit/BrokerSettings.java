package dev.kafkacoins.kit;

import java.util.Map;

/**
 * Broker settings for a single-node development broker. Kafka's defaults assume a three-node production
 * cluster and a 45 s failure detector; on one node they would make every "kill a hasher" demo or test wait
 * most of a minute. These keep the behaviour real and just make failure visible in seconds.
 */
public final class BrokerSettings {

    private BrokerSettings() {
    }

    public static Map<String, String> singleNode() {
        return Map.ofEntries(
                // One broker: internal topics cannot have more than one replica.
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // KIP-848 consumer groups: notice a SIGKILLed member after 10 s instead of 45 s.
                Map.entry("group.consumer.min.session.timeout.ms", "6000"),
                Map.entry("group.consumer.session.timeout.ms", "10000"),
                Map.entry("group.consumer.min.heartbeat.interval.ms", "1000"),
                Map.entry("group.consumer.heartbeat.interval.ms", "2000"),
                // A killed hasher's open transaction blocks its partitions until the coordinator aborts it;
                // look for expired transactions every second rather than every 10 s.
                Map.entry("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000"),
                Map.entry("auto.create.topics.enable", "false"));
    }
}
