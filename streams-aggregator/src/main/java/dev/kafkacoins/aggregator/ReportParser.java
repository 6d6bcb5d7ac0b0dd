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
 * record that is not a valid report, or whose key is not the report's hasher, continues as a dead letter carrying
 * the convention's headers (it is written to miner.hashes.dlq by the topology).
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
            HashReport report = Topics.HASHES.valueSerde().deserializer().deserialize(Topics.HASHES.name(),
                    record.value());
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
