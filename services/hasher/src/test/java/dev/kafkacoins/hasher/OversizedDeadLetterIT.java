package dev.kafkacoins.hasher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkacoins.protocol.Block;
import dev.kafkacoins.protocol.ConsumerGroups;
import dev.kafkacoins.protocol.DeadLetters;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.testsupport.RealKafka;
import dev.kafkacoins.testsupport.TestBlocks;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A poison record that the broker accepted compressed but that is larger than a message may be once copied
 * uncompressed: its dead letter carries a prefix of the value and says why, and the partition keeps flowing.
 */
@Timeout(120)
class OversizedDeadLetterIT {

    @RegisterExtension
    static final RealKafka KAFKA = new RealKafka(Topics.BLOCKS, Topics.BLOCKS_DLQ, Topics.HASHES, Topics.COINS);

    @Test
    void aCompressedNearLimitPoisonRecordIsDeadLetteredWithoutItsFullValueAndLaterBlocksAreHashed() throws Exception {
        // Given 1.5 MB of poison that compresses to a few KB (the broker's limit is on the compressed batch)
        byte[] poison = new byte[1_500_000];
        Arrays.fill(poison, (byte) '{');
        long poisonOffset;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4_000_000);
        try (KafkaProducer<byte[], byte[]> hostile = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            poisonOffset = hostile.send(new ProducerRecord<>(Topics.BLOCKS.name(), 0,
                    "poison".getBytes(StandardCharsets.UTF_8), poison)).get().offset();
        }
        // and valid blocks after it on the same partition
        List<Block> valid = TestBlocks.random("big", 5, 4096, 16, 4);
        for (Block block : valid) {
            KAFKA.probe().sendRaw(Topics.BLOCKS, 0, block.id().getBytes(StandardCharsets.UTF_8),
                    Topics.BLOCKS.valueSerde().serializer().serialize(Topics.BLOCKS.name(), block));
        }

        // When the hasher runs over them, Then it gets past the poison (no transaction aborted and replayed for ever)
        try (ConfigurableApplicationContext hasher = HasherRun.start(KAFKA, "big", 1)) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> KAFKA.probe().lag(ConsumerGroups.HASHER, Topics.BLOCKS) == 0);
        }
        List<ConsumerRecord<byte[], byte[]>> dead = KAFKA.probe().readCommitted(Topics.BLOCKS_DLQ);
        assertThat(dead).singleElement().satisfies(letter -> {
            assertThat(letter.value()).hasSize(DeadLetters.KEPT_PREFIX_BYTES);
            assertThat(DeadLetters.header(letter.headers(), DeadLetters.VALUE_OMITTED))
                    .startsWith("the value of 1500000 bytes")
                    .endsWith("the original is at miner.blocks-0@" + poisonOffset);
            assertThat(DeadLetters.header(letter.headers(), DeadLetters.ERROR)).startsWith("Block");
        });
        assertThat(KAFKA.probe().readCommitted(Topics.HASHES)).hasSize(valid.size());
        System.out.printf("OVERSIZED: %d-byte poison dead-lettered as %d bytes; %d blocks after it hashed%n",
                poison.length, dead.getFirst().value().length, valid.size());
    }
}
