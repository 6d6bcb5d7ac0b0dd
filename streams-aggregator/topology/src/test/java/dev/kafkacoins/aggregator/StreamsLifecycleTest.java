package dev.kafkacoins.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.support.GenericApplicationContext;

/** The aggregator's loop policy: replace a thread on a transient error, stop on a fatal one, never stay up dead. */
class StreamsLifecycleTest {

    private final List<String> exits = new CopyOnWriteArrayList<>();
    private final StreamsLifecycle lifecycle = new StreamsLifecycle((who, cause) -> exits.add(who));

    @Test
    void aTransientErrorReplacesTheThreadAndAFatalOneShutsDown() {
        assertThat(lifecycle.handle(new StreamsException(new TimeoutException("broker away"))))
                .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(lifecycle.handle(new StreamsException(new GroupAuthorizationException("aggregator"))))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void anErrorThatKeepsComingBackShutsDownInsteadOfReplacingForever() {
        for (int i = 0; i < StreamsLifecycle.MAX_REPLACEMENTS; i++) {
            assertThat(lifecycle.handle(new IllegalStateException("bug"))).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        }
        assertThat(lifecycle.handle(new IllegalStateException("bug")))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void errorOrAnUnaskedStopEndsTheProcessButAShutdownDoesNot() {
        lifecycle.onChange(State.REBALANCING, State.RUNNING);
        assertThat(exits).isEmpty();
        lifecycle.onChange(State.ERROR, State.PENDING_ERROR);
        assertThat(exits).containsExactly("Kafka Streams (ERROR)");

        StreamsLifecycle stopping = new StreamsLifecycle((who, cause) -> exits.add("stopping: " + who));
        stopping.onApplicationEvent(new ContextClosedEvent(new GenericApplicationContext()));
        stopping.onChange(State.NOT_RUNNING, State.PENDING_SHUTDOWN);
        assertThat(exits).containsExactly("Kafka Streams (ERROR)");

        lifecycle.onChange(State.NOT_RUNNING, State.PENDING_SHUTDOWN);
        assertThat(exits).containsExactly("Kafka Streams (ERROR)", "Kafka Streams (NOT_RUNNING)");
    }
}
