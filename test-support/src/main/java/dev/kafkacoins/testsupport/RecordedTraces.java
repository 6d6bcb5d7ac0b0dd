package dev.kafkacoins.testsupport;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import brave.sampler.Sampler;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.brave.bridge.W3CPropagation;
import io.micrometer.tracing.propagation.Propagator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real Brave tracer behind Micrometer Tracing, with W3C trace context and 128-bit trace ids as
 * Spring Boot configures the services' tracer, that keeps
 * every finished span in memory instead of reporting it: for tests that check which spans a piece of code makes
 * and how they link.
 */
public final class RecordedTraces implements AutoCloseable {

    private final List<MutableSpan> finished = new CopyOnWriteArrayList<>();
    private final Tracing tracing;
    private final Tracer tracer;
    private final Propagator propagator;

    /** @param sampled whether new traces are sampled (every one) or not (none) */
    public RecordedTraces(boolean sampled) {
        this.tracing = Tracing.newBuilder().localServiceName("test")
                .sampler(sampled ? Sampler.ALWAYS_SAMPLE : Sampler.NEVER_SAMPLE)
                .traceId128Bit(true)
                .propagationFactory(new W3CPropagation())
                .addSpanHandler(new SpanHandler() {
                    @Override
                    public boolean end(TraceContext context, MutableSpan span, Cause cause) {
                        finished.add(span);
                        return true;
                    }
                })
                .build();
        this.tracer = new BraveTracer(tracing.tracer(), new BraveCurrentTraceContext(tracing.currentTraceContext()),
                new BraveBaggageManager());
        this.propagator = new BravePropagator(tracing);
    }

    public Tracer tracer() {
        return tracer;
    }

    public Propagator propagator() {
        return propagator;
    }

    /** The spans finished so far, in the order they finished. */
    public List<MutableSpan> finished() {
        return List.copyOf(finished);
    }

    @Override
    public void close() {
        tracing.close();
    }
}
