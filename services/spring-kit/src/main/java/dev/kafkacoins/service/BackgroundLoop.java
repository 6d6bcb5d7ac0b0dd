package dev.kafkacoins.service;

import dev.kafkacoins.kit.LoopFailures;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;

/**
 * A service's long-running loop on a thread of its own, with the one recovery policy every KafkaCoins loop follows:
 * <ul>
 *   <li>{@link #loop()} owns its clients: it creates them, uses them until {@link #running()} turns false, and
 *   closes them. When it throws, its clients are gone with it, and that is the recovery: after a bounded, growing
 *   back-off {@code loop()} runs again with new clients, which start from what the broker committed (a new consumer
 *   reads the group's committed offsets; a new transactional producer aborts what the old one left open).</li>
 *   <li>An error that new clients would only meet again ({@link LoopFailures#isFatal}: refused credentials or
 *   ACLs, bad configuration, a JVM error) ends the process instead, with status {@link ProcessExit#STATUS}, so
 *   that its supervisor (the kubelet, {@code ./miner up}) restarts it and an operator sees it.</li>
 * </ul>
 * So a process never stays up with a dead loop, and {@link #status()} (liveness) says which of the two is happening.
 * The loop is started when the application is ready and asked to finish on SIGTERM: it checks {@link #running()}
 * and ends its current unit of work, and is waited for within a bound.
 */
public abstract class BackgroundLoop implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundLoop.class);

    public enum State {
        /** Started, no unit of work done yet. */
        STARTING,
        /** Working. */
        RUNNING,
        /** The last attempt failed; waiting out the back-off or trying again with new clients. */
        RECOVERING,
        /** Ended because the application is stopping. */
        STOPPED,
        /** Ended on an error it cannot recover from; the process is being taken down. */
        FAILED
    }

    /** What the loop is doing now, for health endpoints. */
    public record Status(String name, State state, int failures, String lastError, Instant since) {
        public boolean alive() {
            return state != State.FAILED && state != State.STOPPED;
        }
    }

    private final String name;
    private final Duration stopTimeout;
    private final Backoff backoff;
    private final Object wakeUp = new Object();
    private volatile boolean running;
    private volatile Status status;
    private ProcessExit processExit = ProcessExit.withoutContext();
    private Thread thread;

    protected BackgroundLoop(String name, Duration stopTimeout) {
        this(name, stopTimeout, Backoff.DEFAULT);
    }

    protected BackgroundLoop(String name, Duration stopTimeout, Backoff backoff) {
        this.name = name;
        this.stopTimeout = stopTimeout;
        this.backoff = backoff;
        this.status = new Status(name, State.STOPPED, 0, null, Instant.now());
    }

    /**
     * One life of the loop: create the clients, work until {@link #running()} turns false, close the clients.
     * Throw when it cannot go on; see the class comment for what happens next.
     */
    protected abstract void loop() throws Exception;

    /** Whether new clients would only fail the same way; the default is {@link LoopFailures#isFatal}. */
    protected boolean isFatal(Throwable error) {
        return LoopFailures.isFatal(error);
    }

    /** False once the application is stopping: finish the unit of work in hand and return. */
    protected final boolean running() {
        return running;
    }

    /** Call after each unit of work done: the loop counts as healthy again and the back-off starts over. */
    protected final void madeProgress() {
        Status current = status;
        if (current.state() != State.RUNNING) {
            if (current.state() == State.RECOVERING) {
                LOG.info("{} recovered after {} failed attempt(s)", name, current.failures());
            }
            status = new Status(name, State.RUNNING, 0, null, Instant.now());
        }
    }

    public final String name() {
        return name;
    }

    public final Status status() {
        return status;
    }

    /** Who takes the process down on a fatal error; Spring injects the application's own. */
    @Autowired(required = false)
    public final void setProcessExit(ProcessExit processExit) {
        this.processExit = processExit;
    }

    @Override
    public final synchronized void start() {
        running = true;
        status = new Status(name, State.STARTING, 0, null, Instant.now());
        thread = new Thread(this::run, name);
        thread.start();
    }

    private void run() {
        Duration wait = backoff.initial();
        while (running) {
            Throwable failure;
            try {
                loop();
                if (!running) {
                    break;
                }
                failure = new IllegalStateException(name + " returned while the application is running");
            } catch (Throwable e) {
                failure = e;
            }
            if (!running) {
                LOG.debug("{} ended while stopping: {}", name, failure.toString());
                break;
            }
            if (isFatal(failure)) {
                status = new Status(name, State.FAILED, status.failures() + 1, failure.toString(), Instant.now());
                LOG.error("{} cannot recover: {}", name, failure.toString(), failure);
                processExit.exit(name, failure);
                return;
            }
            if (status.state() != State.RECOVERING) {
                wait = backoff.initial();
            }
            Status before = status;
            status = new Status(name, State.RECOVERING, before.failures() + 1, failure.toString(),
                    before.state() == State.RECOVERING ? before.since() : Instant.now());
            LOG.warn("{} failed (attempt {}): {}; starting over with new clients in {} ms", name,
                    status.failures(), failure.toString(), wait.toMillis(), failure);
            pause(wait);
            wait = backoff.next(wait);
        }
        status = new Status(name, State.STOPPED, status.failures(), status.lastError(), Instant.now());
    }

    private void pause(Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        synchronized (wakeUp) {
            long left;
            while (running && (left = until - System.nanoTime()) > 0) {
                try {
                    wakeUp.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    // Nobody but the JVM interrupts this thread: treat it as a stop, since the next life's clients
                    // would fail at once on the interrupted thread and the back-off would spin.
                    LOG.warn("{} interrupted; stopping it", name);
                    requestStop();
                    return;
                }
            }
        }
    }

    /** Asks the loop to finish its unit of work, without waiting; {@link #stop()} waits. */
    public final void requestStop() {
        running = false;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    @Override
    public final synchronized void stop() {
        requestStop();
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(stopTimeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    @Override
    public final boolean isRunning() {
        return running;
    }

    /** How long to wait before the next attempt: doubling from {@code initial}, never above {@code max}. */
    public record Backoff(Duration initial, Duration max) {
        /** Short enough that a loop is back within seconds of the broker's return, long enough not to spin. */
        public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));

        Duration next(Duration current) {
            Duration doubled = current.multipliedBy(2);
            return doubled.compareTo(max) > 0 ? max : doubled;
        }
    }
}
