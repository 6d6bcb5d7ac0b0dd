package dev.kafkacoins.service;

import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/**
 * A service's main loop on a thread of its own: started when the application is ready, asked to finish on
 * SIGTERM (the loop checks {@link #running()} and ends its current unit of work), and waited for, within a bound.
 */
public abstract class BackgroundLoop implements SmartLifecycle {

    private final String threadName;
    private final Duration stopTimeout;
    private volatile boolean running;
    private Thread thread;

    protected BackgroundLoop(String threadName, Duration stopTimeout) {
        this.threadName = threadName;
        this.stopTimeout = stopTimeout;
    }

    /** The loop; it returns when {@link #running()} turns false or when it cannot go on. */
    protected abstract void loop();

    /** False once the application is stopping: finish the unit of work in hand and return. */
    protected final boolean running() {
        return running;
    }

    @Override
    public final synchronized void start() {
        running = true;
        thread = new Thread(() -> {
            try {
                loop();
            } finally {
                running = false;
            }
        }, threadName);
        thread.start();
    }

    @Override
    public final synchronized void stop() {
        running = false;
        if (thread != null) {
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
}
