package dev.kafkacoins.rng;

/**
 * A fixed rate: by time t, {@code rate × t} blocks should have been sent. After a stall (a GC pause, a broker
 * hiccup) it catches up by at most one second's worth, so a long stall does not turn into a burst.
 */
final class RatePacer implements Pacer {

    private static final double MAX_CATCH_UP_SECONDS = 1.0;

    private final double blocksPerNano;
    private final double maxOwed;
    private double owed;
    private long last = Long.MIN_VALUE;

    RatePacer(double blocksPerSecond) {
        this.blocksPerNano = blocksPerSecond / 1e9;
        this.maxOwed = Math.max(1, blocksPerSecond * MAX_CATCH_UP_SECONDS);
    }

    @Override
    public long permits(long nowNanos) {
        if (last == Long.MIN_VALUE) {
            last = nowNanos;
            owed = 1;
        }
        owed = Math.min(owed + (nowNanos - last) * blocksPerNano, maxOwed);
        last = nowNanos;
        return (long) Math.floor(owed);
    }

    @Override
    public void sent(long count) {
        owed -= count;
    }
}
