package dev.kafkacoins.aggregator;

import dev.kafkacoins.protocol.DeadLetters;
import dev.kafkacoins.protocol.HashReport;
import dev.kafkacoins.protocol.InvalidRecordException;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.service.RecordTracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.tracing.Span;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses each record of miner.hashes. A valid report continues with its event time set to {@code hashedAt}, or to
 * this clock when {@code hashedAt} is ahead of it by more than the window grace (see {@link #eventTime}); a
 * record that is not a valid report, whose key is not the report's hasher, or whose {@code hashedAt} or
 * {@code createdAt} lies outside {@link dev.kafkacoins.protocol.TimeBounds} of its Kafka timestamp (and of this
 * clock), continues as a dead letter carrying the convention's headers (written to miner.hashes.dlq by the
 * topology). Such a report counts neither in the windows nor in the totals: its hashes are in the dead letter.
 */
final class ReportParser implements FixedKeyProcessor<String, byte[], ParsedReport> {

    /** A skewed clock skews every report of its hasher: one line a minute says so, the counter counts them all. */
    private static final Duration CLAMP_LOG_INTERVAL = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(ReportParser.class);

    private final String applicationId;
    private final Duration grace;
    private final Counter deadLetters;
    private final Counter clamped;
    private final RecordTracing tracing;
    private FixedKeyProcessorContext<String, ParsedReport> context;
    private long lastClampLogged = Long.MIN_VALUE / 2;

    ReportParser(String applicationId, Duration grace, Counter deadLetters, Counter clamped, RecordTracing tracing) {
        this.applicationId = applicationId;
        this.tracing = tracing;
        this.grace = grace;
        this.deadLetters = deadLetters;
        this.clamped = clamped;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, ParsedReport> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        try {
            // hashedAt becomes event time: it is checked against the record's timestamp and this clock first (a
            // clock hours or years off is dead-lettered), then bounded by this clock plus the grace (eventTime).
            HashReport report = Topics.HASHES.parse(record.value(), record.timestamp(),
                    context.currentSystemTimeMs());
            if (!report.hasher().equals(record.key())) {
                throw new InvalidRecordException("HashReport: key \"" + record.key()
                        + "\" is not the report's hasher \"" + report.hasher() + "\"");
            }
            aggregate(record, report);
        } catch (InvalidRecordException invalid) {
            deadLetters.increment();
            RecordMetadata source = context.recordMetadata().orElseThrow();
            context.forward(record.withValue(new ParsedReport(null, record.value())).withHeaders(
                    DeadLetters.headers(record.headers(), source.topic(), source.partition(), source.offset(), invalid,
                            applicationId)));
        }
    }

    /**
     * Forwards a valid report into the aggregations, inside a span that continues the report's trace: forward()
     * runs the downstream processors (both state store updates) before it returns, so the span covers them.
     *
     * <p>Kafka Streams keeps no per-record headers through an aggregation of its own accord, but a rate or total
     * record leaves with the headers of the last report that updated it (the record cache keeps each entry's
     * record context). So the forwarded report carries this span's context when it is sampled, and no trace at
     * all otherwise: a rate or total record continues the trace of its last report, or none. The traces of
     * earlier reports in the same window end here, at their aggregate span.
     */
    private void aggregate(FixedKeyRecord<String, byte[]> record, HashReport report) {
        Span span = tracing.continueFrom(record.headers(), "aggregate report").tag("block", report.block())
                .tag("hasher", report.hasher());
        Headers headers = new RecordHeaders(record.headers().toArray());
        if (tracing.traceparent(span) != null) {
            tracing.inject(span, headers);
        } else {
            RecordTracing.clear(headers);
        }
        try {
            context.forward(record.withValue(new ParsedReport(report, null)).withTimestamp(eventTime(report))
                    .withHeaders(headers));
        } catch (RuntimeException e) {
            span.error(e);
            throw e;
        } finally {
            span.end();
        }
    }

    /**
     * {@code hashedAt}, unless it is ahead of this clock by more than the grace. A hasher whose clock runs minutes
     * ahead passes {@link dev.kafkacoins.protocol.TimeBounds} (its producer stamps the record from the same clock),
     * yet its reports would carry the partition's stream time minutes on and every honest report of that partition
     * would miss its window for as long. Such a report counts at this clock instead: in the current window and in
     * the totals, its hashes not lost to a dead letter.
     */
    private long eventTime(HashReport report) {
        long now = context.currentSystemTimeMs();
        if (report.hashedAt() <= now + grace.toMillis()) {
            return report.hashedAt();
        }
        clamped.increment();
        if (now - lastClampLogged >= CLAMP_LOG_INTERVAL.toMillis()) {
            lastClampLogged = now;
            LOG.warn("HashReport of {} hashed at {} is {} ms ahead of this clock (grace {}): counted at {} instead;"
                            + " is that host's clock right? (counted in kafkacoins.aggregator.event.time.clamped)",
                    report.hasher(), Instant.ofEpochMilli(report.hashedAt()), report.hashedAt() - now, grace,
                    Instant.ofEpochMilli(now));
        }
        return now;
    }
}
