package dev.kafkacoins.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkacoins.hasher.HasherApplication;
import dev.kafkacoins.protocol.Block;
import dev.kafkacoins.protocol.ConsumerGroups;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.rng.RngApplication;
import dev.kafkacoins.testsupport.RealKafka;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** rng's auto mode on a real broker: a backlog bounded by the real hasher group's lag. */
@Timeout(120)
class RngAutoPacingIT {

    @RegisterExtension
    final RealKafka kafka = new RealKafka();

    @Test
    void autoModeKeepsTheHasherLagUnderItsBoundWhileASlowHasherRuns() {
        int maxLag = 10;
        // Blocks of the maximum size make one hasher thread take a fraction of a second per block.
        try (ConfigurableApplicationContext rng = RngApplication.application().run(Pipeline.NO_DATABASE,
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(), "--server.port=0",
                "--rng.instance-id=it", "--rng.mode=auto", "--rng.max-lag=" + maxLag,
                "--rng.lag-check-interval=100ms", "--rng.nonces=" + Block.MAX_NONCES, "--rng.difficulty=40");
             ConfigurableApplicationContext hasher = HasherApplication.application().run(Pipeline.NO_DATABASE,
                     "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(), "--server.port=0",
                     "--hasher.instance-id=slow", "--hasher.threads=1")) {
            // The window opens once the hasher has committed a block: on a loaded machine its JVM may take a
            // while to join, and until then there is nothing for rng to keep pace with.
            await().pollInterval(Duration.ofMillis(200)).atMost(Duration.ofSeconds(90))
                    .until(() -> committed(ConsumerGroups.HASHER) >= 1);
            long producedAtStart = kafka.probe().endOffsetSum(Topics.BLOCKS);
            long committedAtStart = committed(ConsumerGroups.HASHER);
            AtomicLong maxSeen = new AtomicLong();
            long startNanos = System.nanoTime();
            await().pollInterval(Duration.ofMillis(200)).atMost(Duration.ofSeconds(30)).until(() -> {
                maxSeen.accumulateAndGet(kafka.probe().lag(ConsumerGroups.HASHER, Topics.BLOCKS), Math::max);
                return System.nanoTime() - startNanos >= Duration.ofSeconds(15).toNanos();
            });
            long produced = kafka.probe().endOffsetSum(Topics.BLOCKS);
            long consumed = committed(ConsumerGroups.HASHER) - committedAtStart;

            System.out.printf("AUTO MODE: max observed lag %d (bound %d), %d blocks produced and %d hashed in 15 s%n",
                    maxSeen.get(), maxLag, produced - producedAtStart, consumed);
            assertThat(maxSeen.get()).isPositive().isLessThanOrEqualTo(maxLag);
            // rng kept producing as the hasher consumed, rather than stopping at the bound
            assertThat(consumed).isPositive();
            assertThat(produced - producedAtStart).isGreaterThanOrEqualTo(consumed - maxLag).isPositive();
        }
    }

    /** Blocks the group has committed: what rng produced less what is still waiting. */
    private long committed(String group) {
        return kafka.probe().endOffsetSum(Topics.BLOCKS) - kafka.probe().lag(group, Topics.BLOCKS);
    }
}
