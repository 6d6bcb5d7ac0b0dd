package dev.kafkacoins.aggregator;

import dev.kafkacoins.protocol.HashReport;

/** A record from miner.hashes after parsing: the report, or the original bytes of a record that is not one. */
record ParsedReport(HashReport report, byte[] raw) {

    boolean valid() {
        return report != null;
    }
}
