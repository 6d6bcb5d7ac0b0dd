package dev.kafkacoins.protocol;

/**
 * What a hasher did with one block, published to {@link Topics#HASHES} keyed by hasher id in the same
 * transaction that commits the block's offset: exactly one report per committed block.
 *
 * @param partition the {@code miner.blocks} partition the block was read from
 * @param offset    the block's offset in that partition
 * @param hashes    hashes computed (equals the block's nonces)
 * @param coins     how many of them were coins
 * @param createdAt the block's creation time (epoch ms), carried for end-to-end latency
 * @param hashedAt  when hashing finished (epoch ms); the aggregator's event time
 */
public record HashReport(int v, String block, String hasher, int partition, long offset, long hashes, int coins,
                         long createdAt, long hashedAt) implements TimeBounds.Timed {

    public static final int VERSION = 1;

    public HashReport {
        Fields.version("HashReport", v, VERSION);
        Fields.id("HashReport", "block", block);
        Fields.id("HashReport", "hasher", hasher);
        Fields.range("HashReport", "partition", partition, 0, Integer.MAX_VALUE);
        Fields.range("HashReport", "offset", offset, 0, Long.MAX_VALUE);
        Fields.range("HashReport", "hashes", hashes, 1, Block.MAX_NONCES);
        Fields.range("HashReport", "coins", coins, 0, hashes);
        Fields.range("HashReport", "createdAt", createdAt, 1, Long.MAX_VALUE);
        Fields.range("HashReport", "hashedAt", hashedAt, 1, Long.MAX_VALUE);
    }

    @Override
    public void checkTimes(TimeBounds bounds) {
        bounds.check("HashReport", "createdAt", createdAt);
        bounds.check("HashReport", "hashedAt", hashedAt);
    }

    public static HashReport of(String block, String hasher, int partition, long offset, long hashes, int coins,
                                long createdAt, long hashedAt) {
        return new HashReport(VERSION, block, hasher, partition, offset, hashes, coins, createdAt, hashedAt);
    }
}
