package dev.kafkacoins.local;

import dev.kafkacoins.protocol.Block;

/**
 * What {@code ./miner up} was asked for.
 *
 * @param hashers    hasher processes to start (each one consumer in the {@code hasher} group)
 * @param partitions partitions of {@code miner.blocks}: the most hashers that can work at once
 * @param nonces     nonces per block, or {@code null} for rng's default
 * @param difficulty leading zero bits a hash needs to be a coin, or {@code null} for rng's default
 * @param rate       blocks per second, or {@code null} for auto (rng keeps the hashers' lag bounded)
 */
record StackOptions(int hashers, int partitions, Integer nonces, Integer difficulty, Double rate, Ports ports) {

    static final int DEFAULT_HASHERS = 2;

    StackOptions {
        if (hashers < 0 || hashers > Ports.MAX_HASHERS) {
            throw new MinerException("--hashers must be between 0 and " + Ports.MAX_HASHERS + ", got " + hashers);
        }
        if (partitions < 1 || partitions > 1000) {
            throw new MinerException("--partitions must be between 1 and 1000, got " + partitions);
        }
        if (nonces != null && (nonces < 1 || nonces > Block.MAX_NONCES)) {
            throw new MinerException("--nonces must be between 1 and " + Block.MAX_NONCES + ", got " + nonces);
        }
        if (difficulty != null && (difficulty < Block.MIN_DIFFICULTY || difficulty > Block.MAX_DIFFICULTY)) {
            throw new MinerException("--difficulty must be between " + Block.MIN_DIFFICULTY + " and "
                    + Block.MAX_DIFFICULTY + ", got " + difficulty);
        }
        if (rate != null && !(rate > 0 && rate <= 100_000)) {
            throw new MinerException("--rate must be 'auto' or a number of blocks per second in (0, 100000], got "
                    + rate);
        }
    }

    /** {@code auto} or a positive number. */
    static Double parseRate(String value) {
        if (value == null || value.equalsIgnoreCase("auto")) {
            return null;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new MinerException("--rate must be 'auto' or a number of blocks per second, got '" + value + "'");
        }
    }
}
