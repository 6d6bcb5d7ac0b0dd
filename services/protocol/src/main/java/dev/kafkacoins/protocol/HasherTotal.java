package dev.kafkacoins.protocol;

/**
 * A hasher's lifetime totals, published to the compacted {@link Topics#TOTALS} keyed by hasher id: absolute,
 * ever-growing values, so the latest record per hasher is the truth and a replay never double counts. Reports
 * arriving too late for their rate window still count here.
 *
 * @param lastHashedAt  the newest report's hashing time (epoch ms)
 * @param lastCreatedAt the newest report's block creation time (epoch ms), for end-to-end latency
 */
public record HasherTotal(int v, String hasher, long hashes, long coins, long blocks, long lastHashedAt,
                          long lastCreatedAt) implements TimeBounds.Timed {

    public static final int VERSION = 1;

    public HasherTotal {
        Fields.version("HasherTotal", v, VERSION);
        Fields.id("HasherTotal", "hasher", hasher);
        Fields.range("HasherTotal", "hashes", hashes, 0, Long.MAX_VALUE);
        Fields.range("HasherTotal", "coins", coins, 0, hashes);
        Fields.range("HasherTotal", "blocks", blocks, 0, Long.MAX_VALUE);
    }

    @Override
    public void checkTimes(TimeBounds bounds) {
        bounds.check("HasherTotal", "lastHashedAt", lastHashedAt);
        bounds.check("HasherTotal", "lastCreatedAt", lastCreatedAt);
    }

    public static HasherTotal of(String hasher, long hashes, long coins, long blocks, long lastHashedAt,
                                 long lastCreatedAt) {
        return new HasherTotal(VERSION, hasher, hashes, coins, blocks, lastHashedAt, lastCreatedAt);
    }
}
