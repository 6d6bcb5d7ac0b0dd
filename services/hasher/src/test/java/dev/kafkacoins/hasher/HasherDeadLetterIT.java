package dev.kafkacoins.hasher;

import static dev.kafkacoins.hasher.HasherExactlyOnceIT.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkacoins.protocol.Block;
import dev.kafkacoins.protocol.ConsumerGroups;
import dev.kafkacoins.protocol.DeadLetters;
import dev.kafkacoins.protocol.HashReport;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.testsupport.RealKafka;
import dev.kafkacoins.testsupport.TestBlocks;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** Poison records go to miner.blocks.dlq with the documented headers; the valid blocks around them are hashed. */
@Timeout(120)
class HasherDeadLetterIT {

    private static final String SEED = "c34fa3887dcce47fcb7812e6bdeedb8455e6e663e94dc2f093dc75096ce88c8f";

    @RegisterExtension
    static final RealKafka KAFKA = new RealKafka(Topics.BLOCKS, Topics.BLOCKS_DLQ, Topics.HASHES, Topics.COINS);

    @Test
    void poisonRecordsAreDeadLetteredAndTheirPartitionKeepsFlowing() {
        // Given poison records interleaved with valid blocks, all on partition 0 so that a stalled partition shows
        Map<String, String> poison = new LinkedHashMap<>();
        poison.put("not json", "Block: Unrecognized token 'not'");
        poison.put("{\"v\":2,\"id\":\"a\",\"seed\":\"" + SEED + "\",\"nonces\":1,\"difficulty\":8,\"createdAt\":1}",
                "Block.v: unsupported version 2");
        poison.put("{\"v\":1,\"id\":\"a\",\"seed\":\"xyz\",\"nonces\":1,\"difficulty\":8,\"createdAt\":1}",
                "Block.seed must be 64 lowercase hex characters");
        poison.put("{\"v\":1,\"id\":\"a\",\"seed\":\"" + SEED + "\",\"nonces\":0,\"difficulty\":8,\"createdAt\":1}",
                "Block.nonces must be in [1, 4194304], got 0");
        poison.put("{\"v\":1,\"id\":\"a\",\"seed\":\"" + SEED + "\",\"nonces\":99999999,\"difficulty\":8,\"createdAt\":1}",
                "Block.nonces must be in [1, 4194304], got 99999999");
        poison.put("{\"v\":1,\"id\":\"a\",\"seed\":\"" + SEED + "\",\"nonces\":1,\"difficulty\":99,\"createdAt\":1}",
                "Block.difficulty must be in [8, 64], got 99");
        List<Block> valid = TestBlocks.random("dl", 20, 4096, 16, 4);
        List<Long> poisonOffsets = new ArrayList<>();
        int i = 0;
        for (String value : poison.keySet()) {
            send(valid.get(i++));
            poisonOffsets.add(sendRaw(value.getBytes(StandardCharsets.UTF_8)).offset());
            send(valid.get(i++));
        }
        poisonOffsets.add(sendRaw(null).offset());
        poison.put(null, "Block: record has no value (null)");
        while (i < valid.size()) {
            send(valid.get(i++));
        }

        // When the hasher runs over them
        try (ConfigurableApplicationContext hasher = HasherRun.start(KAFKA, "dl", 1)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> KAFKA.probe().lag(ConsumerGroups.HASHER, Topics.BLOCKS) == 0);

            // Then the dead-letter count is visible as a metric
            assertThat(hasher.getBean(MeterRegistry.class).get("kafkacoins.hasher.dead.letters").counter().count())
                    .isEqualTo(poison.size());
        }

        // And every valid block is reported, the poison is not
        List<HashReport> reports =
                values(Topics.HASHES.name(), KAFKA.probe().readCommitted(Topics.HASHES), HashReport.class);
        assertThat(reports).extracting(HashReport::block)
                .containsExactlyInAnyOrderElementsOf(valid.stream().map(Block::id).toList());

        // And each poison record is in the DLQ once, byte for byte, with headers naming error, partition, offset
        List<ConsumerRecord<byte[], byte[]>> dead = KAFKA.probe().readCommitted(Topics.BLOCKS_DLQ);
        assertThat(dead).hasSize(poison.size());
        List<String> expectedErrors = new ArrayList<>(poison.values());
        List<String> expectedValues = new ArrayList<>(poison.keySet());
        for (int d = 0; d < dead.size(); d++) {
            ConsumerRecord<byte[], byte[]> letter = dead.get(d);
            assertThat(DeadLetters.header(letter.headers(), DeadLetters.ERROR)).contains(expectedErrors.get(d));
            assertThat(DeadLetters.header(letter.headers(), DeadLetters.ERROR_CLASS))
                    .isEqualTo("dev.kafkacoins.protocol.InvalidRecordException");
            assertThat(DeadLetters.header(letter.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo("miner.blocks");
            assertThat(DeadLetters.header(letter.headers(), DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
            assertThat(DeadLetters.header(letter.headers(), DeadLetters.SOURCE_OFFSET))
                    .isEqualTo(Long.toString(poisonOffsets.get(d)));
            assertThat(DeadLetters.header(letter.headers(), DeadLetters.REJECTED_BY)).isEqualTo("dl-t0");
            assertThat(letter.value() == null ? null : new String(letter.value(), StandardCharsets.UTF_8))
                    .isEqualTo(expectedValues.get(d));
        }
    }

    private static void send(Block block) {
        KAFKA.probe().sendRaw(Topics.BLOCKS, 0, block.id().getBytes(StandardCharsets.UTF_8),
                Topics.BLOCKS.valueSerde().serializer().serialize(Topics.BLOCKS.name(), block));
    }

    private static RecordMetadata sendRaw(byte[] value) {
        return KAFKA.probe().sendRaw(Topics.BLOCKS, 0, "poison".getBytes(StandardCharsets.UTF_8), value);
    }
}
