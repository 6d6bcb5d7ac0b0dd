package dev.kafkacoins.webui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The shared live source's pace, on a virtual clock: what LiveStreamIT cannot time on a loaded machine. */
class LiveUpdatesPacingTest {

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final Sinks.Many<Object> notifications = Sinks.many().multicast().directBestEffort();
    private final AtomicInteger queries = new AtomicInteger();
    private final List<Integer> updates = new CopyOnWriteArrayList<>();
    private Disposable running;

    @AfterEach
    void stop() {
        running.dispose();
        clock.dispose();
    }

    @Test
    void aBurstOfNotificationsIsOneQueryAndOneUpdateAfterASecond() {
        start(Mono.fromSupplier(queries::incrementAndGet));

        // 50 notifications within 100 ms (and the first fallback refresh, at start)
        for (int i = 0; i < 50; i++) {
            notifications.tryEmitNext(i);
            clock.advanceTimeBy(Duration.ofMillis(2));
        }
        clock.advanceTimeBy(Duration.ofMillis(899));
        assertThat(updates).as("before the first second").isEmpty();

        clock.advanceTimeBy(Duration.ofMillis(1));
        assertThat(updates).as("at the first second").containsExactly(1);

        clock.advanceTimeBy(Duration.ofSeconds(3));
        assertThat(updates).as("nothing notified since").containsExactly(1);
    }

    @Test
    void steadyNotificationsAreAtMostOneUpdatePerSecond() {
        start(Mono.fromSupplier(queries::incrementAndGet));

        for (int i = 0; i < 100; i++) {
            notifications.tryEmitNext(i);
            clock.advanceTimeBy(Duration.ofMillis(100));
        }

        assertThat(updates).as("ten seconds of a notification every 100 ms").hasSize(10);
    }

    @Test
    void withoutNotificationsTheFallbackRefreshesEveryTenSeconds() {
        start(Mono.fromSupplier(queries::incrementAndGet));

        clock.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(updates).as("the refresh at start").hasSize(1);
        // (29 s, not 30: at 30 s the refresh and the sampler's tick fall on the same instant)
        clock.advanceTimeBy(Duration.ofSeconds(28));
        assertThat(updates).as("after 29 s: the refreshes at 0, 10 and 20 s").hasSize(3);
    }

    @Test
    void aSlowQueryRunsAloneAndTheNotificationsMeanwhileBecomeOneQueryAfterIt() {
        // Each query takes 3 s
        start(Mono.delay(Duration.ofSeconds(3), clock).map(i -> queries.incrementAndGet()));

        for (int i = 0; i < 100; i++) {
            notifications.tryEmitNext(i);
            clock.advanceTimeBy(Duration.ofMillis(100));
        }

        // Started at 1 s, 4 s, 7 s; the third ends at 10 s
        assertThat(updates).containsExactly(1, 2, 3);
    }

    @Test
    void aFailedQueryIsSkippedAndTheNextTickQueriesAgain() {
        AtomicInteger calls = new AtomicInteger();
        start(Mono.defer(() -> calls.incrementAndGet() == 1 ? Mono.error(new IllegalStateException("timeout"))
                : Mono.just(calls.get())));

        notifications.tryEmitNext("first");
        clock.advanceTimeBy(Duration.ofSeconds(1));
        notifications.tryEmitNext("second");
        clock.advanceTimeBy(Duration.ofSeconds(1));

        assertThat(updates).containsExactly(2);
    }

    private void start(Mono<Integer> query) {
        running = LiveUpdates.paced(notifications.asFlux(), () -> query, clock).subscribe(updates::add);
    }
}
