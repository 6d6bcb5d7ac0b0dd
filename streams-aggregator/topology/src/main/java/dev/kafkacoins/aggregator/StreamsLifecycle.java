package dev.kafkacoins.aggregator;

import dev.kafkacoins.kit.LoopFailures;
import dev.kafkacoins.service.ProcessExit;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * The aggregator's share of the loop policy every service follows (see {@code BackgroundLoop}): Kafka Streams runs
 * its own threads, so the policy is its exception handler and a state listener.
 * <ul>
 *   <li>A stream thread that dies of a transient error is replaced; its tasks resume from committed state and
 *   offsets (exactly-once v2). A fatal error ({@link LoopFailures#isFatal}), or more than
 *   {@value #MAX_REPLACEMENTS} replacements within {@link #REPLACEMENT_WINDOW} (the error is not transient after
 *   all), shuts this client down instead: not the application, whose shutdown would reach every replica through
 *   the group and stop them all for one pod's local trouble (a full disk, a corrupt state directory).</li>
 *   <li>Once Kafka Streams is in ERROR, or NOT_RUNNING without the application having asked for it, nothing in
 *   this process will aggregate again: the process ends with {@link ProcessExit#STATUS} for its supervisor to
 *   restart it.</li>
 * </ul>
 */
final class StreamsLifecycle implements StreamsUncaughtExceptionHandler, KafkaStreams.StateListener,
        ApplicationListener<ContextClosedEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsLifecycle.class);
    static final int MAX_REPLACEMENTS = 5;
    static final Duration REPLACEMENT_WINDOW = Duration.ofMinutes(10);

    private final ProcessExit processExit;
    private final Deque<Long> replacements = new ArrayDeque<>();
    private volatile boolean closing;

    StreamsLifecycle(ProcessExit processExit) {
        this.processExit = processExit;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable error) {
        if (LoopFailures.isFatal(error)) {
            LOG.error("stream thread failed on an error new threads would meet again; shutting this instance down", error);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        long now = System.nanoTime();
        while (!replacements.isEmpty() && now - replacements.peekFirst() > REPLACEMENT_WINDOW.toNanos()) {
            replacements.removeFirst();
        }
        if (replacements.size() >= MAX_REPLACEMENTS) {
            LOG.error("stream threads failed {} times within {}; shutting down", replacements.size() + 1,
                    REPLACEMENT_WINDOW, error);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacements.addLast(now);
        LOG.warn("stream thread failed; replacing it, its tasks resume from committed state", error);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    @Override
    public void onChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
        LOG.info("Kafka Streams {} -> {}", oldState, newState);
        boolean dead = newState == KafkaStreams.State.ERROR
                || (newState == KafkaStreams.State.NOT_RUNNING && !closing);
        if (dead) {
            processExit.exit("Kafka Streams (" + newState + ")",
                    new IllegalStateException("Kafka Streams went from " + oldState + " to " + newState));
        }
    }

    /** Published before the context stops Kafka Streams: NOT_RUNNING from here on is the shutdown asked for. */
    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        closing = true;
    }
}
