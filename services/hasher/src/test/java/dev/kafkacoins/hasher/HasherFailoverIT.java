package dev.kafkacoins.hasher;

import static dev.kafkacoins.hasher.HasherExactlyOnceIT.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkacoins.protocol.Block;
import dev.kafkacoins.protocol.Coin;
import dev.kafkacoins.protocol.ConsumerGroups;
import dev.kafkacoins.protocol.ExactlyOnce;
import dev.kafkacoins.protocol.HashReport;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.testsupport.ChildJvm;
import dev.kafkacoins.testsupport.RealKafka;
import dev.kafkacoins.testsupport.TestBlocks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two hasher processes split the partitions; one is SIGKILLed mid-stream (no commit, no clean close, no leave
 * from the group). The survivor takes over its partitions once the broker notices, and every block is still
 * reported exactly once.
 */
@Timeout(240)
class HasherFailoverIT {

    @RegisterExtension
    static final RealKafka KAFKA = new RealKafka(Topics.BLOCKS, Topics.BLOCKS_DLQ, Topics.HASHES, Topics.COINS);

    @Test
    void aHasherKilledMidStreamLosesAndDuplicatesNothing() {
        // Given 400 blocks of 2^20 nonces: tens of seconds of work for two single-threaded hashers
        List<Block> blocks = TestBlocks.random("fo", 400, 1 << 20, 22, 3);
        KAFKA.probe().send(Topics.BLOCKS, blocks, Block::id);
        Path logs = Path.of("target", "failover-logs");

        try (ChildJvm a = hasher("h-a", logs); ChildJvm b = hasher("h-b", logs)) {
            // When both have joined the group, split the six partitions and committed some work
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Map<String, List<Integer>> members = KAFKA.probe().members(ConsumerGroups.HASHER);
                assertThat(members).hasSize(2);
                assertThat(members.values()).allMatch(owned -> !owned.isEmpty());
            });
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                    values(Topics.HASHES.name(), KAFKA.probe().readCommitted(Topics.HASHES), HashReport.class))
                    .extracting(HashReport::hasher).contains("h-a-t0", "h-b-t0"));
            assertThat(a.isAlive()).as("h-a still working when it is killed").isTrue();

            // ... and one of them is killed abruptly
            a.kill();
            int reportedBeforeKill = KAFKA.probe().readCommitted(Topics.HASHES).size();
            assertThat(reportedBeforeKill).as("killed mid-stream, not after the end").isLessThan(blocks.size());

            // Then the survivor finishes the whole backlog, including the dead member's partitions
            await().atMost(Duration.ofSeconds(150)).untilAsserted(() -> {
                assertThat(b.isAlive()).as("survivor alive; its log:%n%s", b.logTail(30)).isTrue();
                assertThat(KAFKA.probe().lag(ConsumerGroups.HASHER, Topics.BLOCKS)).isZero();
            });
            assertThat(KAFKA.probe().members(ConsumerGroups.HASHER).values()).singleElement()
                    .isEqualTo(List.of(0, 1, 2, 3, 4, 5));
            // A JVM ended by SIGTERM exits with 143 after its shutdown hooks; the log shows it left cleanly.
            assertThat(b.stop()).as("exit status after SIGTERM").isEqualTo(143);
            assertThat(b.logTail(200)).contains("h-b-t0 left group 'hasher'");
        }

        // And every block was reported exactly once, by one hasher or the other
        List<HashReport> reports =
                values(Topics.HASHES.name(), KAFKA.probe().readCommitted(Topics.HASHES), HashReport.class);
        List<Coin> coins = values(Topics.COINS.name(), KAFKA.probe().readCommitted(Topics.COINS), Coin.class);
        assertThat(ExactlyOnce.judge(blocks, reports, coins).problems()).isEmpty();
        assertThat(reports).extracting(HashReport::hasher).contains("h-a-t0", "h-b-t0");
    }

    private static ChildJvm hasher(String instanceId, Path logs) {
        return ChildJvm.start(instanceId, HasherApplication.class, List.of(
                "--spring.KAFKA.bootstrap-servers=" + KAFKA.bootstrapServers(),
                "--server.port=0",
                "--hasher.instance-id=" + instanceId,
                "--hasher.threads=1"), logs);
    }
}
