package dev.kafkacoins.hasher;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counters of one hasher thread, tagged with its hasher id. They count committed work only: a transaction that
 * aborts is retried, and counting it would show hashes that never reached {@code miner.hashes}.
 */
final class HasherMetrics {

    private final Counter blocks;
    private final Counter hashes;
    private final Counter coins;
    private final Counter deadLetters;
    private final Counter aborted;

    HasherMetrics(MeterRegistry registry, String hasherId) {
        blocks = counter(registry, "kafkacoins.hasher.blocks", "blocks hashed and committed", hasherId);
        hashes = counter(registry, "kafkacoins.hasher.hashes", "hashes computed and committed", hasherId);
        coins = counter(registry, "kafkacoins.hasher.coins", "coins found and committed", hasherId);
        deadLetters = counter(registry, "kafkacoins.hasher.dead.letters", "invalid blocks sent to miner.blocks.dlq",
                hasherId);
        aborted = counter(registry, "kafkacoins.hasher.transactions.aborted", "transactions aborted and retried",
                hasherId);
    }

    private static Counter counter(MeterRegistry registry, String name, String description, String hasherId) {
        return Counter.builder(name).description(description).tag("hasher", hasherId).register(registry);
    }

    void committed(TransactionTally tally) {
        blocks.increment(tally.blocks);
        hashes.increment(tally.hashes);
        coins.increment(tally.coins);
        deadLetters.increment(tally.deadLetters);
    }

    void aborted() {
        aborted.increment();
    }

    /** What one open transaction has done so far; counted only if it commits. */
    static final class TransactionTally {
        long blocks;
        long hashes;
        long coins;
        long deadLetters;
    }
}
