package dev.kafkacoins.local.supervisor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The wait before a crashed process is started again, as a kubelet's CrashLoopBackOff grows it: the first restart
 * after {@code initial}, each further one after twice the last wait, at most {@code max}; a process that stayed up
 * for {@code stableAfter} starts over at {@code initial}. One per service name, so a crash loop of one process
 * never slows the restart of another.
 */
final class RestartBackoff {

    static final Duration INITIAL = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(30);
    /** Twice the longest wait: a process that outlived that is no longer in a crash loop. */
    static final Duration STABLE_AFTER = MAX.multipliedBy(2);

    private final Clock clock;
    private final Duration initial;
    private final Duration max;
    private final Duration stableAfter;
    private Instant startedAt;
    private Duration lastWait;

    RestartBackoff(Clock clock) {
        this(clock, INITIAL, MAX, STABLE_AFTER);
    }

    RestartBackoff(Clock clock, Duration initial, Duration max, Duration stableAfter) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + " and " + max);
        }
        this.clock = clock;
        this.initial = initial;
        this.max = max;
        this.stableAfter = stableAfter;
    }

    /** The process was (re)started now. */
    synchronized void started() {
        startedAt = clock.instant();
    }

    /** The process exited now: how long to wait before starting it again. */
    synchronized Duration exited() {
        boolean stable = startedAt != null && Duration.between(startedAt, clock.instant()).compareTo(stableAfter) >= 0;
        if (lastWait == null || stable) {
            lastWait = initial;
        } else {
            Duration doubled = lastWait.multipliedBy(2);
            lastWait = doubled.compareTo(max) > 0 ? max : doubled;
        }
        return lastWait;
    }
}
