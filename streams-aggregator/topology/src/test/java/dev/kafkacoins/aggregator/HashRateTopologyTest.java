package dev.kafkacoins.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkacoins.protocol.DeadLetters;
import dev.kafkacoins.protocol.HashReport;
import dev.kafkacoins.protocol.HasherTotal;
import dev.kafkacoins.protocol.RateWindow;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.service.RecordTracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real topology, from {@link HashRateTopology#build}, driven record by record without a broker. */
class HashRateTopologyTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final Duration GRACE = Duration.ofSeconds(2);

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> hashes;
    private TestOutputTopic<String, RateWindow> rates;
    private TestOutputTopic<String, HasherTotal> totals;
    private TestOutputTopic<String, byte[]> deadLetters;
    private Counter deadLetterCount;
    private Counter clampedCount;

    @BeforeEach
    void startDriver() {
        StreamsBuilder builder = new StreamsBuilder();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        deadLetterCount = registry.counter("dead.letters");
        clampedCount = registry.counter("clamped");
        HashRateTopology.build(builder, GRACE, deadLetterCount, clampedCount, RecordTracing.OFF);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        // Emit every update, so each test sees each step (the application caches and emits at commit).
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        driver = new TopologyTestDriver(builder.build(), props);
        hashes = driver.createInputTopic(Topics.HASHES.name(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        rates = driver.createOutputTopic(Topics.RATES.name(), Topics.RATES.keySerde().deserializer(),
                Topics.RATES.valueSerde().deserializer());
        totals = driver.createOutputTopic(Topics.TOTALS.name(), Topics.TOTALS.keySerde().deserializer(),
                Topics.TOTALS.valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(Topics.HASHES_DLQ.name(), Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void sumsEachHashersReportsIntoOneSecondWindowsOfHashingTime() {
        // Record timestamps are seconds off (a slow send): the window is chosen by the report's hashedAt.
        send(report("h1", 1, 100, 2, T0 + 100), T0 + 3_000);
        send(report("h1", 2, 200, 0, T0 + 900), T0 - 3_000);
        send(report("h2", 3, 400, 1, T0 + 950), T0 + 3_000);
        send(report("h1", 4, 800, 1, T0 + 1_050), T0 - 3_000);

        Map<String, RateWindow> latest = latestPerWindow(rates.readValuesToList());
        assertThat(latest).containsOnlyKeys("h1@" + T0, "h2@" + T0, "h1@" + (T0 + 1000));
        assertThat(latest.get("h1@" + T0)).extracting("hashes", "coins", "blocks", "windowEnd")
                .containsExactly(300L, 2L, 2L, T0 + 1000);
        assertThat(latest.get("h2@" + T0).hashes()).isEqualTo(400);
        assertThat(latest.get("h1@" + (T0 + 1000)).hashes()).isEqualTo(800);
    }

    @Test
    void keepsLifetimeTotalsPerHasher() {
        send(report("h1", 1, 100, 1, T0));
        send(report("h2", 2, 50, 0, T0 + 10));
        send(report("h1", 3, 100, 0, T0 + 5_000));

        Map<String, HasherTotal> latest = totals.readKeyValuesToMap();
        assertThat(latest.get("h1")).extracting("hashes", "coins", "blocks", "lastHashedAt")
                .containsExactly(200L, 1L, 2L, T0 + 5_000);
        assertThat(latest.get("h2").hashes()).isEqualTo(50);
    }

    @Test
    void aReportLaterThanTheGraceMissesItsWindowButCountsInTheTotals() {
        send(report("h1", 1, 100, 0, T0 + 100));
        send(report("h1", 2, 100, 0, T0 + 10_000)); // stream time moves 10 s on; grace is 2 s
        rates.readValuesToList();

        send(report("h1", 3, 100, 0, T0 + 200)); // belongs to the first window, which has closed

        assertThat(rates.readValuesToList()).as("no update of a closed window").isEmpty();
        assertThat(totals.readKeyValuesToMap().get("h1").hashes()).isEqualTo(300);
    }

    @Test
    void aLateReportWithinTheGraceStillUpdatesItsWindow() {
        send(report("h1", 1, 100, 0, T0 + 100));
        send(report("h1", 2, 100, 0, T0 + 2_500));
        send(report("h1", 3, 100, 0, T0 + 200)); // 2.3 s late, window end + grace = T0 + 3000 not reached

        assertThat(latestPerWindow(rates.readValuesToList()).get("h1@" + T0).hashes()).isEqualTo(200);
    }

    @Test
    void aReportFromAClockAYearAheadIsDeadLetteredAndDoesNotCloseTheWindowsOfLaterReports() {
        long yearAhead = T0 + Duration.ofDays(365).toMillis();
        send(report("h1", 1, 100, 0, T0 + 100));
        // A hasher whose clock is a year ahead; its record was sent (and timestamped) at T0 + 200
        send(HashReport.of("rng-t-2", "h9", 0, 2, 100, 0, T0 + 150, yearAhead), T0 + 200);

        send(report("h1", 3, 100, 0, T0 + 300));
        send(report("h2", 4, 400, 0, T0 + 1_500));

        Map<String, RateWindow> latest = latestPerWindow(rates.readValuesToList());
        assertThat(latest.get("h1@" + T0).hashes()).as("later reports still reach their window").isEqualTo(200);
        assertThat(latest.get("h2@" + (T0 + 1000)).hashes()).isEqualTo(400);
        assertThat(latest).doesNotContainKey("h9@" + (yearAhead - yearAhead % 1000));
        List<TestRecord<String, byte[]>> letters = deadLetters.readRecordsToList();
        assertThat(letters).singleElement().satisfies(letter -> assertThat(
                DeadLetters.header(letter.headers(), DeadLetters.ERROR)).startsWith("HashReport.hashedAt "));
        assertThat(totals.readKeyValuesToMap()).doesNotContainKey("h9");
    }

    @Test
    void aRecordTimestampedAYearAheadOfTheAggregatorsClockIsDeadLetteredToo() {
        // The record's own timestamp is the producer's: a hostile one sets it as far ahead as the report
        long now = System.currentTimeMillis();
        long yearAhead = now + Duration.ofDays(365).toMillis();
        send(report("h1", 1, 100, 0, now));
        send(report("h9", 2, 100, 0, yearAhead), yearAhead);
        send(report("h1", 3, 100, 0, now + 1_000));

        Map<String, RateWindow> latest = latestPerWindow(rates.readValuesToList());
        assertThat(latest.get("h1@" + (now + 1_000 - (now + 1_000) % 1000)).hashes()).isEqualTo(100);
        assertThat(DeadLetters.header(deadLetters.readRecordsToList().getFirst().headers(), DeadLetters.ERROR))
                .contains("ahead of this reader's clock");
    }

    @Test
    void aReportFromAClockMinutesAheadCountsAtTheAggregatorsClockAndLaterHonestReportsStillReachTheirWindows() {
        // Its producer shares its clock, so the record's timestamp is as far ahead and passes every range check
        long now = System.currentTimeMillis();
        long ahead = now + GRACE.toMillis() + Duration.ofMinutes(1).toMillis();
        send(report("h9", 1, 100, 0, ahead));
        send(report("h1", 2, 200, 0, now + 100));
        send(report("h2", 3, 400, 0, now + 1_500));

        Map<String, RateWindow> latest = latestPerWindow(rates.readValuesToList());
        assertThat(latest).as("honest reports reach their windows")
                .hasEntrySatisfying("h1@" + windowOf(now + 100), w -> assertThat(w.hashes()).isEqualTo(200))
                .hasEntrySatisfying("h2@" + windowOf(now + 1_500), w -> assertThat(w.hashes()).isEqualTo(400));
        assertThat(latest.values()).filteredOn(w -> w.hasher().equals("h9")).as("the skewed report counts now")
                .singleElement().satisfies(w -> {
                    assertThat(w.windowStart()).isLessThanOrEqualTo(now);
                    assertThat(w.hashes()).isEqualTo(100);
                });
        assertThat(totals.readKeyValuesToMap()).extractingFromEntries(e -> e.getValue().hashes())
                .containsExactlyInAnyOrder(100L, 200L, 400L);
        assertThat(deadLetters.isEmpty()).as("nothing is lost to the dead letters").isTrue();
        assertThat(clampedCount.count()).isEqualTo(1);
    }

    @Test
    void sendsRecordsThatAreNotReportsToTheDeadLetterTopicAndNothingElse() {
        hashes.pipeInput(new TestRecord<>("h1", "{oops".getBytes(StandardCharsets.UTF_8)));
        send("h2", report("h1", 1, 100, 0, T0)); // keyed by another hasher than the report's
        hashes.pipeInput(new TestRecord<String, byte[]>("h3", null));
        send(report("h1", 2, 100, 0, T0));

        List<TestRecord<String, byte[]>> letters = deadLetters.readRecordsToList();
        assertThat(letters).hasSize(3);
        assertThat(letters).extracting(r -> DeadLetters.header(r.headers(), DeadLetters.ERROR)).containsExactly(
                "HashReport: Unexpected character ('o' (code 111)): was expecting double-quote to start property name (at line 1, column 2)",
                "HashReport: key \"h2\" is not the report's hasher \"h1\"",
                "HashReport: record has no value (null)");
        assertThat(letters).extracting(r -> DeadLetters.header(r.headers(), DeadLetters.SOURCE_OFFSET))
                .containsExactly("0", "1", "2");
        assertThat(letters).allMatch(r -> "aggregator".equals(DeadLetters.header(r.headers(), DeadLetters.REJECTED_BY)));
        assertThat(new String(letters.getFirst().value(), StandardCharsets.UTF_8)).isEqualTo("{oops");
        assertThat(deadLetterCount.count()).isEqualTo(3);
        assertThat(totals.readKeyValuesToMap().get("h1").hashes()).as("only the valid report counts").isEqualTo(100);
    }

    /** Sent as a hasher sends it: the record's timestamp is just after hashing finished. */
    private void send(HashReport report) {
        send(report.hasher(), report);
    }

    private void send(String key, HashReport report) {
        send(key, report, report.hashedAt() + 5);
    }

    private void send(HashReport report, long recordTimestamp) {
        send(report.hasher(), report, recordTimestamp);
    }

    private void send(String key, HashReport report, long recordTimestamp) {
        hashes.pipeInput(key, Topics.HASHES.valueSerde().serializer().serialize(Topics.HASHES.name(), report),
                recordTimestamp);
    }

    private static HashReport report(String hasher, long offset, long hashes, int coins, long hashedAt) {
        return HashReport.of("rng-t-" + offset, hasher, 0, offset, hashes, coins, hashedAt - 50, hashedAt);
    }

    private static long windowOf(long timestamp) {
        return timestamp - timestamp % HashRateTopology.WINDOW.toMillis();
    }

    private static Map<String, RateWindow> latestPerWindow(List<RateWindow> updates) {
        Map<String, RateWindow> latest = new LinkedHashMap<>();
        updates.forEach(w -> latest.put(w.hasher() + "@" + w.windowStart(), w));
        return latest;
    }
}
