package dev.kafkacoins.local.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RestartBackoffTest {

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T12:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final RestartBackoff backoff = new RestartBackoff(clock);

    @Test
    void aCrashLoopWaitsOneSecondThenTwiceAsLongEachTimeUpToThirtySeconds() {
        List<Long> waits = new ArrayList<>();
        for (int crash = 0; crash < 8; crash++) {
            backoff.started();
            clock.advance(Duration.ofSeconds(3)); // dies a few seconds after each start
            Duration wait = backoff.exited();
            waits.add(wait.toSeconds());
            clock.advance(wait);
        }
        assertThat(waits).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
    }

    @Test
    void aProcessThatStayedUpAMinuteStartsOverAtOneSecond() {
        for (int crash = 0; crash < 5; crash++) {
            backoff.started();
            backoff.exited();
        }
        backoff.started();
        clock.advance(Duration.ofSeconds(59));
        assertThat(backoff.exited()).as("up 59 s: still a crash loop").isEqualTo(Duration.ofSeconds(30));

        backoff.started();
        clock.advance(RestartBackoff.STABLE_AFTER);
        assertThat(backoff.exited()).as("up 60 s: stable").isEqualTo(Duration.ofSeconds(1));
        backoff.started();
        assertThat(backoff.exited()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void theFirstExitWaitsTheInitialDelayEvenWhenTheProcessWasNeverSeenStarting() {
        assertThat(new RestartBackoff(clock).exited()).isEqualTo(RestartBackoff.INITIAL);
    }
}
