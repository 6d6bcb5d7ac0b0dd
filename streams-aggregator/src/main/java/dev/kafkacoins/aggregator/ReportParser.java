package dev.kafkacoins.aggregator;

import dev.kafkacoins.protocol.DeadLetters;
import dev.kafkacoins.protocol.HashReport;
import dev.kafkacoins.protocol.InvalidRecordException;
import dev.kafkacoins.protocol.Topics;
import io.micrometer.core.instrument.Counter;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Parses each record of miner.hashes. A valid report continues with its event time set to {@code hashedAt}; a
 * record that is not a valid report, whose key is not the report's hasher, or whose {@code hashedAt} or
 * {@code createdAt} lies outside {@link dev.kafkacoins.protocol.TimeBounds} of its Kafka timestamp (and of this
 * clock), continues as a dead letter carrying the convention's headers (written to miner.hashes.dlq by the
 * topology). Such a report counts neither in the windows nor in the totals: its hashes are in the dead letter.
 */
final class ReportParser implements FixedKeyProcessor<String, byte[], ParsedReport> {

    private final String applicationId;
    private final Counter deadLetters;
    private FixedKeyProcessorContext<String, ParsedReport> context;

    ReportParser(String applicationId, Counter deadLetters) {
        this.applicationId = applicationId;
        this.deadLetters = deadLetters;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, ParsedReport> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        try {
            // hashedAt becomes event time: it is checked against the record's timestamp and this clock first, so
            // one report from a wrong clock cannot carry stream time ahead and close every window of its partition.
            HashReport report = Topics.HASHES.parse(record.value(), record.timestamp(),
                    context.currentSystemTimeMs());
            if (!report.hasher().equals(record.key())) {
                throw new InvalidRecordException("HashReport: key \"" + record.key()
                        + "\" is not the report's hasher \"" + report.hasher() + "\"");
            }
            context.forward(record.withValue(new ParsedReport(report, null)).withTimestamp(report.hashedAt()));
        } catch (InvalidRecordException invalid) {
            deadLetters.increment();
            RecordMetadata source = context.recordMetadata().orElseThrow();
            context.forward(record.withValue(new ParsedReport(null, record.value())).withHeaders(
                    DeadLetters.headers(record.headers(), source.topic(), source.partition(), source.offset(), invalid,
                            applicationId)));
        }
    }
}
