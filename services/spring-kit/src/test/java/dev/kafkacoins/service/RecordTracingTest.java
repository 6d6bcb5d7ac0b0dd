package dev.kafkacoins.service;

import static org.assertj.core.api.Assertions.assertThat;

import brave.handler.MutableSpan;
import dev.kafkacoins.testsupport.RecordedTraces;
import io.micrometer.tracing.Span;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RecordTracingTest {

    @Test
    void aTraceCrossesRecordsAsOneTraceParentHeaderAndEachHopIsAChildOfThePreviousOne() {
        try (RecordedTraces traces = new RecordedTraces(true)) {
            RecordTracing tracing = RecordTracing.of(traces.tracer(), traces.propagator());
            // Given a block's trace, written into its record twice (a retried send): one header, not two
            Span publish = tracing.startTrace("publish block");
            Headers block = new RecordHeaders();
            tracing.inject(publish, block);
            tracing.inject(publish, block);
            publish.end();
            assertThat(block.headers(RecordTracing.TRACEPARENT)).hasSize(1);
            assertThat(RecordTracing.sampled(block)).isTrue();

            // When the next hop continues it from the record, and a later one from the stored traceparent
            Span hash = tracing.continueFrom(block, "hash block");
            String stored = tracing.traceparent(hash);
            hash.end();
            Span push = tracing.continueFrom(stored, "push coin");
            push.end();

            // Then all three are one trace, each the parent of the next
            List<MutableSpan> spans = traces.finished();
            assertThat(spans).extracting(MutableSpan::name).containsExactly("publish block", "hash block", "push coin");
            assertThat(spans).extracting(MutableSpan::traceId).containsOnly(publish.context().traceId());
            assertThat(spans.get(1).parentId()).isEqualTo(spans.get(0).id());
            assertThat(spans.get(2).parentId()).isEqualTo(spans.get(1).id());
            assertThat(stored).isEqualTo("00-" + publish.context().traceId() + "-" + spans.get(1).id() + "-01");
        }
    }

    @Test
    void anUnsampledTraceStaysUnsampledDownstreamAndIsNeverStored() {
        try (RecordedTraces traces = new RecordedTraces(false)) {
            RecordTracing tracing = RecordTracing.of(traces.tracer(), traces.propagator());
            Span publish = tracing.startTrace("publish block");
            Headers block = new RecordHeaders();
            tracing.inject(publish, block);
            publish.end();

            Span hash = tracing.continueFrom(block, "hash block");

            assertThat(new String(block.lastHeader(RecordTracing.TRACEPARENT).value(), StandardCharsets.UTF_8))
                    .endsWith("-00");
            assertThat(RecordTracing.sampled(block)).isFalse();
            assertThat(tracing.traceparent(hash)).isNull();
            hash.end();
            assertThat(traces.finished()).isEmpty();
        }
    }

    @Test
    void tracingOffWritesNoHeaderAndMakesNoSpan() {
        Span span = RecordTracing.OFF.startTrace("publish block");
        Headers headers = new RecordHeaders();
        RecordTracing.OFF.inject(span, headers);

        assertThat(headers.toArray()).isEmpty();
        assertThat(span.isNoop()).isTrue();
        assertThat(RecordTracing.OFF.traceparent(span)).isNull();
        assertThat(RecordTracing.OFF.continueFrom(headers, "hash block").isNoop()).isTrue();
    }
}
