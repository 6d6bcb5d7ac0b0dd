package dev.kafkacoins.rng;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

class PacerTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void ratePacerAllowsRateTimesElapsedTime() {
        RatePacer pacer = new RatePacer(20);
        long sent = 0;
        for (long t = 0; t <= 10 * SECOND; t += SECOND / 100) {
            long permits = pacer.permits(t);
            pacer.sent(permits);
            sent += permits;
        }
        // one block at start, then 20 per second for 10 s
        assertThat(sent).isBetween(200L, 201L);
    }

    @Test
    void ratePacerCatchesUpAtMostOneSecondAfterAStall() {
        RatePacer pacer = new RatePacer(50);
        pacer.sent(pacer.permits(0));

        assertThat(pacer.permits(30 * SECOND)).isEqualTo(50);
    }

    @Test
    void rateModeSendsItsRateOverTenSecondsHoweverUnevenlyTheLoopComesBack() {
        // What RngPacingIT once measured on the wall clock, on a fake one: the publisher's loop asks for permits
        // and sends them one by one, coming back after 0.1 to 37 ms (a busy machine, a slow send)
        FakeTicker ticker = new FakeTicker();
        RatePacer pacer = new RatePacer(20);
        long sent = publish(pacer, ticker, 10 * SECOND, step -> (step * 7919 % 370 + 1) * SECOND / 10_000);

        assertThat(sent).as("20 blocks/s for 10 s, and the first at start").isBetween(200L, 201L);
    }

    @Test
    void rateModeBelowOneBlockASecondSendsOneEveryFewSeconds() {
        FakeTicker ticker = new FakeTicker();
        RatePacer pacer = new RatePacer(0.5);

        assertThat(publish(pacer, ticker, 10 * SECOND, step -> SECOND / 100)).isBetween(5L, 6L);
    }

    @Test
    void rateModeAfterAStallSendsOneSecondsWorthThenTheRateAgain() {
        FakeTicker ticker = new FakeTicker();
        RatePacer pacer = new RatePacer(100);
        publish(pacer, ticker, SECOND, step -> SECOND / 1000);

        // A 20 s GC pause: one second's worth at once, not 2,000 blocks
        ticker.advance(20 * SECOND);
        long afterStall = pacer.permits(ticker.now());
        pacer.sent(afterStall);
        assertThat(afterStall).isEqualTo(100);
        assertThat(publish(pacer, ticker, SECOND, step -> SECOND / 1000)).isBetween(99L, 101L);
    }

    /** The publisher's loop on a fake clock: permits, one send per permit, then the loop's next turn. */
    private static long publish(Pacer pacer, FakeTicker ticker, long forNanos, LongUnaryOperator turn) {
        long end = ticker.now() + forNanos;
        long sent = 0;
        for (long step = 0; ticker.now() <= end; step++) {
            long permits = pacer.permits(ticker.now());
            for (long i = 0; i < permits; i++) {
                pacer.sent(1);
                sent++;
            }
            ticker.advance(turn.applyAsLong(step));
        }
        return sent;
    }

    /** A nanosecond clock that moves only when told. */
    private static final class FakeTicker {
        private long now = 123_456_789L;

        long now() {
            return now;
        }

        void advance(long nanos) {
            now += nanos;
        }
    }

    @Test
    void lagPacerFillsUpToTheBoundAndWaitsForTheNextCheck() {
        AtomicLong lag = new AtomicLong(4);
        AtomicLong reads = new AtomicLong();
        LagPacer pacer = new LagPacer(10, SECOND, () -> {
            reads.incrementAndGet();
            return lag.get();
        });

        assertThat(pacer.permits(0)).isEqualTo(6);
        pacer.sent(6);
        lag.set(10);
        assertThat(pacer.permits(SECOND / 2)).as("before the next check").isZero();
        assertThat(reads).hasValue(1);

        lag.set(7);
        assertThat(pacer.permits(SECOND)).isEqualTo(3);
    }

    @Test
    void lagPacerNeverAllowsMoreWhenLagIsAboveTheBound() {
        LagPacer pacer = new LagPacer(10, 0, () -> 25);

        assertThat(pacer.permits(0)).isZero();
    }
}
