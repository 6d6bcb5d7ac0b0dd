package dev.kafkacoins.aggregator;

import dev.kafkacoins.protocol.HashReport;

/** The running sums the aggregations keep in their state stores; internal to the aggregator. */
record Tally(long hashes, long coins, long blocks, long lastHashedAt, long lastCreatedAt) {

    static Tally empty() {
        return new Tally(0, 0, 0, 0, 0);
    }

    Tally add(HashReport report) {
        return new Tally(hashes + report.hashes(), coins + report.coins(), blocks + 1,
                Math.max(lastHashedAt, report.hashedAt()), Math.max(lastCreatedAt, report.createdAt()));
    }
}
