package dev.kafkacoins.aggregator;

import dev.kafkacoins.protocol.ConsumerGroups;
import dev.kafkacoins.protocol.HashReport;
import dev.kafkacoins.protocol.HasherTotal;
import dev.kafkacoins.protocol.JsonSerde;
import dev.kafkacoins.protocol.RateWindow;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.service.RecordTracing;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The aggregator's topology: hash reports in, per-hasher rates and totals out.
 * <pre>
 *   miner.hashes ─► parse ─┬─ valid ─► group by hasher ─┬─► 1 s tumbling windows (event time = hashedAt) ─► miner.rates
 *                          │                            └─► lifetime totals (never windowed, never late) ─► miner.totals
 *                          └─ invalid ─► miner.hashes.dlq (original bytes, dead-letter headers)
 * </pre>
 * A report later than the window grace is left out of its rate window (Kafka Streams drops it there and counts
 * it in its dropped-records metric) but always counts in the totals, so the totals stay exact.
 *
 * <p>Try it: {@code kafka-console-consumer --topic miner.rates --isolation-level read_committed
 * --property print.key=true}.
 */
public final class HashRateTopology {

    public static final Duration WINDOW = Duration.ofSeconds(1);
    static final String RATE_STORE = "rate-windows";
    static final String TOTAL_STORE = "hasher-totals";

    private HashRateTopology() {
    }

    /**
     * Adds the topology to {@code builder}; the application and the tests both build it through here.
     *
     * @param tracing continues each report's trace in the parser (see {@link ReportParser}); the rate and total
     *                records carry the trace of the last report that updated them
     */
    public static void build(StreamsBuilder builder, Duration grace, Counter deadLetters, Counter clamped,
                             RecordTracing tracing) {
        JsonSerde<Tally> tallies = new JsonSerde<>(Tally.class);
        KStream<String, ParsedReport> parsed = builder
                .stream(Topics.HASHES.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("hashes"))
                .processValues(() -> new ReportParser(ConsumerGroups.AGGREGATOR, grace, deadLetters, clamped,
                        tracing), Named.as("parse"));

        parsed.split(Named.as("report-"))
                .branch((hasher, report) -> report.valid(), Branched.withConsumer(valid -> aggregate(
                        valid.mapValues(ParsedReport::report, Named.as("report")), grace, tallies), "valid"))
                .defaultBranch(Branched.withConsumer(invalid -> invalid
                        .mapValues(ParsedReport::raw, Named.as("raw"))
                        .to(Topics.HASHES_DLQ.name(), Produced.with(Serdes.String(), Serdes.ByteArray())), "invalid"));
    }

    private static void aggregate(KStream<String, HashReport> reports, Duration grace, JsonSerde<Tally> tallies) {
        KGroupedStream<String, HashReport> byHasher = reports.groupByKey(
                Grouped.with(Topics.HASHES.keySerde(), Topics.HASHES.valueSerde()));

        byHasher.windowedBy(TimeWindows.ofSizeAndGrace(WINDOW, grace))
                .aggregate(Tally::empty, (hasher, report, tally) -> tally.add(report),
                        Materialized.<String, Tally, WindowStore<Bytes, byte[]>>as(RATE_STORE)
                                .withKeySerde(Serdes.String()).withValueSerde(tallies))
                .toStream(Named.as("rate-updates"))
                .map((window, t) -> KeyValue.pair(window.key(), RateWindow.of(window.key(), window.window().start(),
                        window.window().end(), t.hashes(), t.coins(), t.blocks(), t.lastCreatedAt())), Named.as("rate"))
                .to(Topics.RATES.name(), Produced.with(Topics.RATES.keySerde(), Topics.RATES.valueSerde()));

        byHasher.aggregate(Tally::empty, (hasher, report, tally) -> tally.add(report),
                        Materialized.<String, Tally, KeyValueStore<Bytes, byte[]>>as(TOTAL_STORE)
                                .withKeySerde(Serdes.String()).withValueSerde(tallies))
                .toStream(Named.as("total-updates"))
                .mapValues((hasher, t) -> HasherTotal.of(hasher, t.hashes(), t.coins(), t.blocks(), t.lastHashedAt(),
                        t.lastCreatedAt()), Named.as("total"))
                .to(Topics.TOTALS.name(), Produced.with(Topics.TOTALS.keySerde(), Topics.TOTALS.valueSerde()));
    }
}
