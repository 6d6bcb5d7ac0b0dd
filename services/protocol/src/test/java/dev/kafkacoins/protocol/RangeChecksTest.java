package dev.kafkacoins.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Well-formed but hostile values: each is refused where it enters, with a message naming the field. */
class RangeChecksTest {

    private static final String SEED = "c34fa3887dcce47fcb7812e6bdeedb8455e6e663e94dc2f093dc75096ce88c8f";
    private static final long NOW = 1_780_000_000_000L;

    @ParameterizedTest
    @ValueSource(strings = {"rng-\u0000-1", "rng-\n-1", "rng-\u007f-1", "rng-\u200b-1", "rng-\ud800-1", "rng-\u2028-1"})
    void idsWithControlOrInvisibleCharactersAreRefused(String id) {
        assertThatThrownBy(() -> Block.of(id, SEED, 1, 8, NOW))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageStartingWith("Block.id must not contain control or invisible characters, found U+")
                .hasMessageContaining("at index 4");
    }

    @Test
    void printableIdsIncludingOtherScriptsAndEmojiAreAccepted() {
        assertThat(Block.of("rng-pod-7f9c-é-\ud83d\ude00-1", SEED, 1, 8, NOW).id()).hasSize(19);
    }

    @Test
    void aTimestampBeyondPostgresRangeIsRefusedAgainstTheRecordsOwnTimestamp() {
        ConsumerRecord<byte[], byte[]> record = consumed(Topics.TOTALS, NOW,
                "{\"v\":1,\"hasher\":\"h1\",\"hashes\":1,\"coins\":0,\"blocks\":1,\"lastHashedAt\":" + NOW
                        + ",\"lastCreatedAt\":" + Long.MAX_VALUE + "}");

        assertThatThrownBy(() -> Topics.TOTALS.parse(record.value(), record.timestamp(), NOW))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageStartingWith("HasherTotal.lastCreatedAt 9223372036854775807 (+292278994-08-17T07:12:55.807Z)"
                        + " is outside the sane range");
    }

    @Test
    void timestampsWithinMinutesAheadOrDaysBehindTheRecordArePassed() {
        long ahead = NOW + Duration.ofMinutes(4).toMillis();
        long behind = NOW - Duration.ofDays(29).toMillis();
        byte[] report = Topics.HASHES.valueSerde().serializer().serialize(Topics.HASHES.name(),
                HashReport.of("b", "h1", 0, 0, 1, 0, behind, ahead));

        assertThat(Topics.HASHES.parse(report, NOW, NOW).hashedAt()).isEqualTo(ahead);
    }

    @Test
    void aBlockFromAnRngHostMinutesAheadOfTheHashersIsStillReadByThem() {
        // rng's clock is 6 minutes ahead: each report carries that createdAt under the hasher's own timestamp
        long rngClock = NOW + Duration.ofMinutes(6).toMillis();
        byte[] report = Topics.HASHES.valueSerde().serializer().serialize(Topics.HASHES.name(),
                HashReport.of("b", "h1", 0, 0, 1, 0, rngClock, NOW));

        assertThat(Topics.HASHES.parse(report, NOW + 5, NOW + 10).createdAt()).isEqualTo(rngClock);
    }

    @Test
    void anOldRecordOfACompactedTopicIsReadAtAnyAgeOnReplay() {
        long yearsAgo = NOW - Duration.ofDays(3 * 365).toMillis();
        byte[] total = Topics.TOTALS.valueSerde().serializer().serialize(Topics.TOTALS.name(),
                HasherTotal.of("h1", 1, 0, 1, yearsAgo - 1_000, yearsAgo - 2_000));

        assertThat(Topics.TOTALS.parse(total, yearsAgo, NOW).lastHashedAt()).isEqualTo(yearsAgo - 1_000);
    }

    @Test
    void aHashedAtMoreThanAnHourAheadIsRefusedNamingTheField() {
        byte[] report = Topics.HASHES.valueSerde().serializer().serialize(Topics.HASHES.name(),
                HashReport.of("b", "h1", 0, 0, 1, 0, NOW, NOW + Duration.ofMinutes(61).toMillis()));

        assertThatThrownBy(() -> Topics.HASHES.parse(report, NOW, NOW))
                .hasMessageStartingWith("HashReport.hashedAt ");
    }

    @Test
    void aRecordTimestampedMinutesAheadOfTheReadersClockIsReadAsTheBrokerAcceptedIt() {
        long skewed = NOW + Duration.ofMinutes(50).toMillis();
        byte[] block = Topics.BLOCKS.valueSerde().serializer().serialize(Topics.BLOCKS.name(),
                Block.of("b", SEED, 1, 8, skewed));

        assertThat(Topics.BLOCKS.parse(block, skewed, NOW).createdAt()).isEqualTo(skewed);
    }

    @Test
    void aRecordTimestampedMoreThanAnHourAheadOfTheReadersClockIsRefused() {
        long hostile = NOW + Duration.ofMinutes(61).toMillis();
        byte[] block = Topics.BLOCKS.valueSerde().serializer().serialize(Topics.BLOCKS.name(),
                Block.of("b", SEED, 1, 8, hostile));

        assertThatThrownBy(() -> Topics.BLOCKS.parse(block, hostile, NOW))
                .hasMessageContaining("Block: the Kafka record's timestamp").hasMessageContaining("ahead of this reader's clock");
    }

    @Test
    void aDeadLetterTooLargeForTheTopicCarriesOnlyThePrefixOfItsValueAndSaysWhy() {
        byte[] huge = new byte[1_500_000];
        Arrays.fill(huge, (byte) 'x');
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(Topics.BLOCKS.name(), 2, 77, NOW,
                TimestampType.CREATE_TIME, 1, huge.length, "k".getBytes(StandardCharsets.UTF_8), huge,
                new RecordHeaders(), java.util.Optional.empty());

        ProducerRecord<byte[], byte[]> letter = DeadLetters.of(Topics.BLOCKS_DLQ, record,
                new InvalidRecordException("Block: too long"), "h1-t0");

        assertThat(letter.value()).hasSize(DeadLetters.KEPT_PREFIX_BYTES);
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.VALUE_OMITTED))
                .startsWith("the value of 1500000 bytes").endsWith("the original is at miner.blocks-2@77");
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.ERROR)).isEqualTo("Block: too long");
    }

    private static ConsumerRecord<byte[], byte[]> consumed(Topic<?, ?> topic, long timestamp, String json) {
        byte[] value = json.getBytes(StandardCharsets.UTF_8);
        return new ConsumerRecord<>(topic.name(), 0, 0, timestamp, TimestampType.CREATE_TIME, 1, value.length,
                "k".getBytes(StandardCharsets.UTF_8), value, new RecordHeaders(), java.util.Optional.empty());
    }
}
