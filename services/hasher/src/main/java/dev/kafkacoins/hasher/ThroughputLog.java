package dev.kafkacoins.hasher;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A periodic log line of committed hashes per second, the figure the original demo plotted. */
final class ThroughputLog {

    private static final Logger LOG = LoggerFactory.getLogger(ThroughputLog.class);

    private final String hasherId;
    private final long intervalNanos;
    private long windowStart = System.nanoTime();
    private long blocks;
    private long hashes;
    private long coins;
    private long deadLetters;

    ThroughputLog(String hasherId, Duration interval) {
        this.hasherId = hasherId;
        this.intervalNanos = interval.toNanos();
    }

    void add(HasherMetrics.TransactionTally tally) {
        blocks += tally.blocks;
        hashes += tally.hashes;
        coins += tally.coins;
        deadLetters += tally.deadLetters;
    }

    void maybeLog() {
        long now = System.nanoTime();
        long elapsed = now - windowStart;
        if (elapsed < intervalNanos) {
            return;
        }
        if (blocks > 0 || deadLetters > 0) {
            double seconds = elapsed / 1e9;
            LOG.info("{}: {} hashes/s over {} s ({} blocks, {} coins, {} dead letters)", hasherId,
                    Math.round(hashes / seconds), String.format("%.1f", seconds), blocks, coins, deadLetters);
        }
        windowStart = now;
        blocks = hashes = coins = deadLetters = 0;
    }
}
