package dev.kafkacoins.rng;

import java.util.function.LongSupplier;

/**
 * Keeps the hasher group's lag at or under a bound: every check it reads the lag and allows exactly the blocks
 * that would bring it up to the bound. The lag is read after every sent block is acknowledged (the caller
 * flushes first) and only falls as hashers commit, so the bound holds at every instant, not on average.
 */
final class LagPacer implements Pacer {

    private final long maxLag;
    private final long checkIntervalNanos;
    private final LongSupplier lag;
    private long nextCheck = Long.MIN_VALUE;
    private long budget;

    /** @param lag reads the current total lag; it must count every block sent so far */
    LagPacer(long maxLag, long checkIntervalNanos, LongSupplier lag) {
        this.maxLag = maxLag;
        this.checkIntervalNanos = checkIntervalNanos;
        this.lag = lag;
    }

    @Override
    public long permits(long nowNanos) {
        if (budget == 0 && nowNanos >= nextCheck) {
            budget = Math.max(0, maxLag - lag.getAsLong());
            nextCheck = nowNanos + checkIntervalNanos;
        }
        return budget;
    }

    @Override
    public void sent(long count) {
        budget -= count;
    }
}
