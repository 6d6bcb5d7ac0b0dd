package dev.kafkacoins.rng;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
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
