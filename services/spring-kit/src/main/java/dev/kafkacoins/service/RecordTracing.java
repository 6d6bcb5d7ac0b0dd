package dev.kafkacoins.service;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Carries a block's trace from record to record, in W3C {@code traceparent} headers, through code that runs the
 * Kafka clients itself: rng's producer, the hashers' transactional loop, the sink's consumer and Kafka Streams,
 * none of which spring-kafka's observation sees (it instruments its templates and listener containers). The spans
 * are Micrometer Tracing's, reported by whatever Spring Boot configured (Brave to Zipkin in the local stack).
 *
 * <p>With tracing off ({@code management.tracing.enabled=false}, every service's default) the tracer is Micrometer's
 * no-op one: no span is made and no header is written, so the records are what they were without tracing.
 */
public final class RecordTracing {

    /** The W3C trace-context header: {@code 00-<trace id>-<span id>-<flags>}. */
    public static final String TRACEPARENT = "traceparent";
    /** Tracing off: no spans, no headers (tests, and code built outside Spring). */
    public static final RecordTracing OFF = new RecordTracing(Tracer.NOOP, Propagator.NOOP);

    private static final Propagator.Getter<Headers> FROM_HEADERS = (headers, key) -> {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    };
    private static final Propagator.Setter<Headers> INTO_HEADERS = (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    };

    private final Tracer tracer;
    private final Propagator propagator;

    RecordTracing(Tracer tracer, ObjectProvider<Propagator> propagator) {
        this(tracer, propagator.getIfAvailable(() -> Propagator.NOOP));
    }

    /** For code and tests that build their tracer themselves. */
    public static RecordTracing of(Tracer tracer, Propagator propagator) {
        return new RecordTracing(tracer, propagator);
    }

    private RecordTracing(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** A new trace (or not, as the sampler decides), started. */
    public Span startTrace(String name) {
        return tracer.nextSpan().name(name).start();
    }

    /**
     * A span continuing the trace a record carries, started; a new trace when it carries none (a record written
     * by hand, say). Unsampled traces stay unsampled: the decision made where the trace began holds downstream.
     */
    public Span continueFrom(Headers headers, String name) {
        return propagator.extract(headers, FROM_HEADERS).name(name).kind(Span.Kind.CONSUMER).start();
    }

    /** A span continuing a trace stored earlier as {@link #traceparent}, started. */
    public Span continueFrom(String traceparent, String name) {
        Map<String, String> carrier = Map.of(TRACEPARENT, traceparent);
        return propagator.extract(carrier, Map::get).name(name).start();
    }

    /** Writes {@code span}'s context into {@code headers}, replacing a trace header they carried before. */
    public void inject(Span span, Headers headers) {
        propagator.inject(span.context(), headers, INTO_HEADERS);
    }

    /** Removes the trace header a record carries, so that it does not pass as its own. */
    public static void clear(Headers headers) {
        headers.remove(TRACEPARENT);
    }

    /** {@code span}'s {@code traceparent} when it is sampled (it reaches the trace backend), else null. */
    public String traceparent(Span span) {
        if (span.isNoop() || !Boolean.TRUE.equals(span.context().sampled())) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>();
        propagator.inject(span.context(), carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }

    /** True when the record carries a sampled trace: its {@code traceparent} ends with flags {@code 01}. */
    public static boolean sampled(Headers headers) {
        String value = FROM_HEADERS.get(headers, TRACEPARENT);
        return value != null && value.length() == 55 && value.endsWith("-01");
    }
}
