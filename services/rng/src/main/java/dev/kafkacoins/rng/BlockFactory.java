package dev.kafkacoins.rng;

import dev.kafkacoins.protocol.Block;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Makes blocks with unique ids and random seeds.
 *
 * <p>Seeds come from L64X256MixRandom (the JDK's LXM family) seeded once from SecureRandom: statistically strong
 * and allocation-light, tens of millions of longs per second, so rng is never the bottleneck even with
 * {@code nonces=1}. It is not a cryptographic generator; for a demo that only needs seeds nobody can guess
 * in advance (so no one precomputes coins) a secret random starting state is enough.
 *
 * <p>Ids are {@code rng-<instance>-<seq>}; the instance id carries the start time so ids stay unique across
 * restarts of the same pod or process.
 */
final class BlockFactory {

    private static final HexFormat HEX = HexFormat.of();

    private final String idPrefix;
    private final int nonces;
    private final int difficulty;
    private final RandomGenerator random;
    private final byte[] seed = new byte[32];
    private long sequence;

    BlockFactory(String instanceId, int nonces, int difficulty) {
        this.idPrefix = "rng-" + instanceId + "-" + Long.toString(System.currentTimeMillis(), 36) + "-";
        this.nonces = nonces;
        this.difficulty = difficulty;
        this.random = RandomGeneratorFactory.of("L64X256MixRandom").create(SecureRandom.getSeed(32));
    }

    Block next(long nowMillis) {
        random.nextBytes(seed);
        return Block.of(idPrefix + sequence++, HEX.formatHex(seed), nonces, difficulty, nowMillis);
    }
}
