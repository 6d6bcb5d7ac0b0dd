package dev.kafkacoins.protocol;

/**
 * What one hasher committed in one 1-second event-time window (event time = the report's {@code hashedAt}),
 * published to {@link Topics#RATES} keyed by hasher id. Each update carries the window's absolute values so far,
 * so writing the latest one wins and a replay never double counts.
 *
 * @param windowStart     inclusive, epoch ms
 * @param windowEnd       exclusive, epoch ms
 * @param lastCreatedAt   the newest block creation time in the window, for end-to-end latency
 */
public record RateWindow(int v, String hasher, long windowStart, long windowEnd, long hashes, long coins, long blocks,
                         long lastCreatedAt) implements TimeBounds.Timed {

    public static final int VERSION = 1;

    public RateWindow {
        Fields.version("RateWindow", v, VERSION);
        Fields.id("RateWindow", "hasher", hasher);
        Fields.range("RateWindow", "windowStart", windowStart, 0, Long.MAX_VALUE);
        Fields.range("RateWindow", "windowEnd", windowEnd, windowStart + 1, Long.MAX_VALUE);
        Fields.range("RateWindow", "hashes", hashes, 0, Long.MAX_VALUE);
        Fields.range("RateWindow", "coins", coins, 0, hashes);
        Fields.range("RateWindow", "blocks", blocks, 0, Long.MAX_VALUE);
    }

    @Override
    public void checkTimes(TimeBounds bounds) {
        bounds.check("RateWindow", "windowStart", windowStart);
        bounds.check("RateWindow", "windowEnd", windowEnd);
        bounds.check("RateWindow", "lastCreatedAt", lastCreatedAt);
    }

    public static RateWindow of(String hasher, long windowStart, long windowEnd, long hashes, long coins, long blocks,
                                long lastCreatedAt) {
        return new RateWindow(VERSION, hasher, windowStart, windowEnd, hashes, coins, blocks, lastCreatedAt);
    }
}
