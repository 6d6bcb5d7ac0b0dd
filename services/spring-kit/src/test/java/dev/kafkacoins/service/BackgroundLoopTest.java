package dev.kafkacoins.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The recovery policy of every loop: start over with new clients, or take the process down; never a dead loop. */
@Timeout(30)
class BackgroundLoopTest {

    private static final BackgroundLoop.Backoff FAST = new BackgroundLoop.Backoff(Duration.ofMillis(10),
            Duration.ofMillis(50));

    private final List<String> exits = new CopyOnWriteArrayList<>();
    private ScriptedLoop loop;

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.stop();
        }
    }

    @Test
    void aLoopWhoseRecoveryThrowsStartsOverWithNewClientsAndRuns() {
        // Given a loop whose first two lives end in exceptions thrown by its own recovery steps (an abort after a
        // commit that timed out throws IllegalStateException; a fresh producer's initTransactions times out)
        loop = new ScriptedLoop(
                new IllegalStateException("Cannot attempt operation `abortTransaction` because the previous call to"
                        + " `commitTransaction` timed out and must be retried"),
                new org.apache.kafka.common.errors.TimeoutException("Timeout expired while initializing transactional"
                        + " state in 60000ms."));

        // When it runs
        loop.start();

        // Then its third life works, the loop counts as healthy again, and the process was never asked to end
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.progress.get() > 0);
        assertThat(loop.lives.get()).isEqualTo(3);
        assertThat(loop.status().state()).isEqualTo(BackgroundLoop.State.RUNNING);
        assertThat(loop.status().alive()).isTrue();
        assertThat(exits).isEmpty();
    }

    @Test
    void whileRecoveringTheLoopIsAliveAndSaysWhy() {
        // Given a loop that keeps failing the way it does while the broker is away
        loop = new ScriptedLoop(new KafkaException("broker away"), new KafkaException("broker away"),
                new KafkaException("broker away"), new KafkaException("broker away"),
                new KafkaException("broker away"), new KafkaException("broker away"));
        loop.start();

        // Then it is RECOVERING, alive (no restart needed), with the count and the last error
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.status().failures() >= 2);
        BackgroundLoop.Status status = loop.status();
        assertThat(status.state()).isEqualTo(BackgroundLoop.State.RECOVERING);
        assertThat(status.alive()).isTrue();
        assertThat(status.lastError()).contains("broker away");
        assertThat(new LoopsHealth(() -> List.of(loop)).health().getStatus().getCode()).isEqualTo("UP");
    }

    @Test
    void anAuthorizationErrorEndsTheProcessInsteadOfRetrying() {
        // Given a loop that is refused by the broker's ACLs, here wrapped the way a send error is
        loop = new ScriptedLoop(new KafkaException("Cannot execute transactional method because we are in an error"
                + " state", new TopicAuthorizationException("Not authorized to access topics: [miner.hashes]")));

        loop.start();

        // Then the process is taken down once, the loop is FAILED (liveness DOWN) and never tried again
        await().atMost(Duration.ofSeconds(10)).until(() -> !exits.isEmpty());
        assertThat(exits).singleElement().asString().startsWith("scripted: ").contains("error state");
        assertThat(loop.status().state()).isEqualTo(BackgroundLoop.State.FAILED);
        assertThat(new LoopsHealth(() -> List.of(loop)).health().getStatus().getCode()).isEqualTo("DOWN");
        assertThat(loop.lives.get()).isEqualTo(1);
    }

    @Test
    void stopEndsTheBackOffAtOnce() {
        // Given a loop waiting out a long back-off
        loop = new ScriptedLoop(new BackgroundLoop.Backoff(Duration.ofMinutes(5), Duration.ofMinutes(5)),
                new KafkaException("broker away"));
        loop.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.status().failures() == 1);

        // When the application stops, the loop ends within the stop bound rather than after the back-off
        long start = System.nanoTime();
        loop.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(loop.status().state()).isEqualTo(BackgroundLoop.State.STOPPED);
    }

    /** Throws the given failures in its first lives, then works until stopped. */
    private final class ScriptedLoop extends BackgroundLoop {
        final AtomicInteger lives = new AtomicInteger();
        final AtomicInteger progress = new AtomicInteger();
        private final RuntimeException[] failures;

        ScriptedLoop(RuntimeException... failures) {
            this(FAST, failures);
        }

        ScriptedLoop(Backoff backoff, RuntimeException... failures) {
            super("scripted", Duration.ofSeconds(5), backoff);
            this.failures = failures;
            setProcessExit((who, cause) -> exits.add(who + ": " + cause));
        }

        @Override
        protected void loop() throws InterruptedException {
            int life = lives.incrementAndGet();
            if (life <= failures.length) {
                throw failures[life - 1];
            }
            while (running()) {
                madeProgress();
                progress.incrementAndGet();
                // A unit of work's duration, not a wait for a condition.
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
            }
        }
    }
}
