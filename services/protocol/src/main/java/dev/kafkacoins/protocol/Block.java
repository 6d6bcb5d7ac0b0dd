package dev.kafkacoins.protocol;

/**
 * A unit of work published by rng to {@link Topics#BLOCKS}: hash every nonce in {@code [0, nonces)} with the
 * seed and report how many hashes have at least {@code difficulty} leading zero bits.
 *
 * <p>Wire form (JSON, so {@code kafka-console-consumer} shows it readably):
 * {@code {"v":1,"id":"rng-<instance>-<seq>","seed":"<64 hex>","nonces":65536,"difficulty":24,"createdAt":<epoch ms>}}
 */
public record Block(int v, String id, String seed, int nonces, int difficulty, long createdAt)
        implements TimeBounds.Timed {

    public static final int VERSION = 1;

    /**
     * Upper bound on nonces per block. At a few million hashes per second per core this keeps one block
     * under about two seconds of work, well inside a hasher transaction's timeout.
     */
    public static final int MAX_NONCES = 1 << 22;

    /** Below 8 bits one hash in 256 or more would be a coin and the wallet topic would flood. */
    public static final int MIN_DIFFICULTY = 8;

    /** Above 64 bits no coin would be found in the lifetime of any demo; such a block is a mistake. */
    public static final int MAX_DIFFICULTY = 64;

    public Block {
        Fields.version("Block", v, VERSION);
        Fields.id("Block", "id", id);
        Fields.hex64("Block", "seed", seed);
        Fields.range("Block", "nonces", nonces, 1, MAX_NONCES);
        Fields.range("Block", "difficulty", difficulty, MIN_DIFFICULTY, MAX_DIFFICULTY);
        Fields.range("Block", "createdAt", createdAt, 1, Long.MAX_VALUE);
    }

    @Override
    public void checkTimes(TimeBounds bounds) {
        bounds.check("Block", "createdAt", createdAt);
    }

    public static Block of(String id, String seed, int nonces, int difficulty, long createdAt) {
        return new Block(VERSION, id, seed, nonces, difficulty, createdAt);
    }
}
