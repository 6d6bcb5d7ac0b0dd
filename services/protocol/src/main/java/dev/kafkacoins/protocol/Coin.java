package dev.kafkacoins.protocol;

/**
 * A hash with at least {@code difficulty} leading zero bits, published to the compacted {@link Topics#COINS}
 * keyed by its hash: the topic is the wallet. Anyone can re-verify it from seed, nonce and difficulty alone
 * ({@link HashKernel#verify(Coin)}).
 */
public record Coin(int v, String hash, String seed, long nonce, int difficulty, String block, String hasher,
                   long foundAt) implements TimeBounds.Timed {

    public static final int VERSION = 1;

    public Coin {
        Fields.version("Coin", v, VERSION);
        Fields.hex64("Coin", "hash", hash);
        Fields.hex64("Coin", "seed", seed);
        Fields.range("Coin", "nonce", nonce, 0, Block.MAX_NONCES - 1);
        Fields.range("Coin", "difficulty", difficulty, Block.MIN_DIFFICULTY, Block.MAX_DIFFICULTY);
        Fields.id("Coin", "block", block);
        Fields.id("Coin", "hasher", hasher);
        Fields.range("Coin", "foundAt", foundAt, 1, Long.MAX_VALUE);
    }

    @Override
    public void checkTimes(TimeBounds bounds) {
        bounds.check("Coin", "foundAt", foundAt);
    }

    public static Coin of(String hash, String seed, long nonce, int difficulty, String block, String hasher,
                          long foundAt) {
        return new Coin(VERSION, hash, seed, nonce, difficulty, block, hasher, foundAt);
    }
}
