package dev.kafkacoins.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import brave.handler.MutableSpan;
import dev.kafkacoins.protocol.HashReport;
import dev.kafkacoins.protocol.HasherTotal;
import dev.kafkacoins.protocol.RateWindow;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.service.RecordTracing;
import dev.kafkacoins.testsupport.RecordedTraces;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Span;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How a report's trace crosses the aggregations, with the record cache on as in the application. */
@Timeout(30)
class ReportTracingTest {

    private static final long T0 = 1_700_000_000_000L;

    @Test
    void aRateAndATotalContinueTheTraceOfTheLastReportThatUpdatedThemAndOnlyIfItWasSampled() {
        try (RecordedTraces traces = new RecordedTraces(true);
             TopologyTestDriver driver = driver(RecordTracing.of(traces.tracer(), traces.propagator()))) {
            RecordTracing tracing = RecordTracing.of(traces.tracer(), traces.propagator());
            TestInputTopic<String, byte[]> hashes = driver.createInputTopic(Topics.HASHES.name(),
                    Serdes.String().serializer(), Serdes.ByteArray().serializer());
            TestOutputTopic<String, RateWindow> rates = driver.createOutputTopic(Topics.RATES.name(),
                    Topics.RATES.keySerde().deserializer(), Topics.RATES.valueSerde().deserializer());
            TestOutputTopic<String, HasherTotal> totals = driver.createOutputTopic(Topics.TOTALS.name(),
                    Topics.TOTALS.keySerde().deserializer(), Topics.TOTALS.valueSerde().deserializer());

            // Given a report whose hasher span is sampled
            Span hash = tracing.startTrace("hash block");
            Headers sampled = new RecordHeaders();
            tracing.inject(hash, sampled);
            hash.end();
            hashes.pipeInput(new TestRecord<>("h1", report(1, T0 + 100), sampled, T0 + 105));

            // Then the aggregator made a span under it, and the rate and the total records continue from that span
            MutableSpan aggregate = traces.finished().stream().filter(s -> "aggregate report".equals(s.name()))
                    .findFirst().orElseThrow();
            assertThat(aggregate.parentId()).isEqualTo(hash.context().spanId());
            assertThat(aggregate.tags()).containsEntry("block", "rng-t-1");
            String expected = "00-" + hash.context().traceId() + "-" + aggregate.id() + "-01";
            assertThat(traceparent(rates.readRecord().headers())).isEqualTo(expected);
            assertThat(traceparent(totals.readRecord().headers())).isEqualTo(expected);

            // When the next report of the same hasher is not sampled
            Headers unsampled = new RecordHeaders();
            unsampled.add(RecordTracing.TRACEPARENT, ("00-" + "1".repeat(32) + "-" + "2".repeat(16) + "-00")
                    .getBytes(StandardCharsets.UTF_8));
            hashes.pipeInput(new TestRecord<>("h1", report(2, T0 + 200), unsampled, T0 + 205));

            // Then its updates carry no trace: not the earlier one, not the unsampled one
            assertThat(rates.readRecord().headers().lastHeader(RecordTracing.TRACEPARENT)).isNull();
            assertThat(totals.readRecord().headers().lastHeader(RecordTracing.TRACEPARENT)).isNull();
        }
    }

    private static TopologyTestDriver driver(RecordTracing tracing) {
        StreamsBuilder builder = new StreamsBuilder();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        HashRateTopology.build(builder, Duration.ofSeconds(2), registry.counter("dead.letters"),
                registry.counter("clamped"), tracing);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "report-tracing-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return new TopologyTestDriver(builder.build(), props);
    }

    private static byte[] report(long offset, long hashedAt) {
        return Topics.HASHES.valueSerde().serializer().serialize(Topics.HASHES.name(),
                HashReport.of("rng-t-" + offset, "h1", 0, offset, 1000, 0, hashedAt - 50, hashedAt));
    }

    private static String traceparent(Headers headers) {
        Header header = headers.lastHeader(RecordTracing.TRACEPARENT);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
