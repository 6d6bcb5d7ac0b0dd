package dev.kafkacoins.local;

import dev.kafkacoins.protocol.Block;
import java.util.List;

/**
 * What {@code ./miner up} was asked for.
 *
 * @param hashers    hasher processes to start (each one consumer in the {@code hasher} group)
 * @param partitions partitions of {@code miner.blocks}: the most hashers that can work at once
 * @param nonces     nonces per block, or {@code null} for rng's default
 * @param difficulty leading zero bits a hash needs to be a coin, or {@code null} for rng's default
 * @param rate       blocks per second, or {@code null} for auto (rng keeps the hashers' lag bounded)
 * @param restart    whether the supervisor starts a process again after it exits unasked ({@code --no-restart})
 * @param observe    whether a Prometheus of the stack's own scrapes it, with the project's alert rules
 *                   ({@code --observe})
 */
public record StackOptions(int hashers, int partitions, Integer nonces, Integer difficulty, Double rate, Ports ports,
                    boolean restart, boolean observe) {

    static final int DEFAULT_HASHERS = 2;

    public StackOptions {
        requireBetween("--hashers", hashers, 0, Ports.MAX_HASHERS);
        requireBetween("--partitions", partitions, 1, 1000);
        if (nonces != null) {
            requireBetween("--nonces", nonces, 1, Block.MAX_NONCES);
        }
        if (difficulty != null) {
            requireBetween("--difficulty", difficulty, Block.MIN_DIFFICULTY, Block.MAX_DIFFICULTY);
        }
        if (rate != null && !(rate > 0 && rate <= 100_000)) {
            throw new MinerException("--rate must be 'auto' or a number of blocks per second in (0, 100000], got "
                    + rate);
        }
    }

    /** With restarts and without Prometheus, as {@code ./miner up} runs by default. */
    StackOptions(int hashers, int partitions, Integer nonces, Integer difficulty, Double rate, Ports ports) {
        this(hashers, partitions, nonces, difficulty, rate, ports, true, false);
    }

    /** The ports this stack needs, for the check that they are free before it starts. */
    public List<Ports.Use> portUses() {
        return ports.uses(hashers, observe);
    }

    /** The one-line error every whole-number flag of ./miner gives when it is out of range. */
    public static void requireBetween(String flag, long value, long min, long max) {
        if (value < min || value > max) {
            throw new MinerException(flag + " must be between " + min + " and " + max + ", got " + value);
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
