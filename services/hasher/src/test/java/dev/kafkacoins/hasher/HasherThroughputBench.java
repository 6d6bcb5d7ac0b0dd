package dev.kafkacoins.hasher;

import static org.awaitility.Awaitility.await;

import dev.kafkacoins.protocol.Block;
import dev.kafkacoins.protocol.HashReport;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.testsupport.RealKafka;
import dev.kafkacoins.testsupport.TestBlocks;
import java.time.Duration;
import java.util.List;
import java.util.LongSummaryStatistics;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A benchmark program (not a test): one hasher application with one thread on the embedded broker works through
 * a backlog of large blocks; prints the hashes per second it reached, measured on the committed reports (the
 * first quarter of them left out: JIT warm-up is not the steady rate). Difficulty 30, so coins are rare and the
 * figure is hashing plus the transactions around it, against the kernel alone in {@code HashKernelBench}.
 * <p>
 * Run: {@code ./mvnw -q install -DskipTests && ./mvnw -q -pl services/hasher validate exec:exec@hasher-bench
 * [-Dbench.blocks=48]} (blocks of 2^20 nonces; 48 take one thread about a minute).
 */
public final class HasherThroughputBench {

    private static final int NONCES = 1 << 20;
    private static final Duration LIMIT = Duration.ofMinutes(10);

    public static void main(String[] args) throws Exception {
        int count = Integer.getInteger("bench.blocks", 48);
        RealKafka kafka = new RealKafka(Topics.BLOCKS, Topics.BLOCKS_DLQ, Topics.HASHES, Topics.COINS);
        kafka.beforeAll(null);
        try {
            List<Block> blocks = TestBlocks.random("tp", count, NONCES, 30, 2);
            kafka.probe().send(Topics.BLOCKS, blocks, Block::id);
            try (ConfigurableApplicationContext hasher = HasherRun.start(kafka, "tp", 1)) {
                await().atMost(LIMIT).pollInterval(Duration.ofMillis(500))
                        .until(() -> kafka.probe().lag("hasher", Topics.BLOCKS) == 0);
            }
            List<HashReport> reports = HasherExactlyOnceIT.values(Topics.HASHES.name(),
                    kafka.probe().readCommitted(Topics.HASHES), HashReport.class);
            int skipped = reports.size() / 4;
            LongSummaryStatistics at = reports.stream().skip(skipped).mapToLong(HashReport::hashedAt)
                    .summaryStatistics();
            long hashes = (long) (reports.size() - skipped - 1) * NONCES;
            double perSecond = hashes / ((at.getMax() - at.getMin()) / 1000.0);
            System.out.printf("one hasher thread: %.0f hashes/s (%d of %d blocks of 2^20 nonces reported, %s broker,"
                    + " %d cores)%n", perSecond, reports.size(), count, kafka.kind(),
                    Runtime.getRuntime().availableProcessors());
        } finally {
            kafka.afterAll(null);
        }
        System.exit(0);
    }
}
