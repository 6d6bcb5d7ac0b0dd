package dev.kafkacoins.hasher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkacoins.protocol.Block;
import dev.kafkacoins.protocol.Coin;
import dev.kafkacoins.protocol.ExactlyOnce;
import dev.kafkacoins.protocol.HashReport;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.testsupport.RealKafka;
import dev.kafkacoins.testsupport.TestBlocks;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** Blocks in, exactly one committed report per block out, on a real broker. */
@Timeout(180)
class HasherExactlyOnceIT {

    @RegisterExtension
    static final RealKafka KAFKA = new RealKafka(Topics.BLOCKS, Topics.BLOCKS_DLQ, Topics.HASHES, Topics.COINS);

    @Test
    void everyBlockIsReportedExactlyOnceAndEveryCoinVerifies() {
        // Given 300 blocks of 4096 nonces at difficulty 12 (about one coin per block) spread over 6 partitions
        List<Block> blocks = TestBlocks.random("eo", 300, 4096, 12, 1);
        KAFKA.probe().send(Topics.BLOCKS, blocks, Block::id);

        // When one hasher with two threads works through them
        try (ConfigurableApplicationContext hasher = HasherRun.start(KAFKA, "eo", 2)) {
            await().atMost(Duration.ofSeconds(90)).until(() -> KAFKA.probe().lag("hasher", Topics.BLOCKS) == 0);
        }

        // Then no transaction is left open (it would hide committed reports from read_committed readers until
        // the broker aborts it), and the committed reports name every block exactly once and account for every
        // nonce (the pipeline's exactly-once verdict)
        assertThat(KAFKA.probe().unstablePartitions(Topics.HASHES)).as("open transactions on miner.hashes").isEmpty();
        List<HashReport> reports =
                values(Topics.HASHES.name(), KAFKA.probe().readCommitted(Topics.HASHES), HashReport.class);
        List<ConsumerRecord<byte[], byte[]>> coinRecords = KAFKA.probe().readCommitted(Topics.COINS);
        List<Coin> coins = values(Topics.COINS.name(), coinRecords, Coin.class);
        assertThat(ExactlyOnce.judge(blocks, reports, coins).problems()).isEmpty();
        // Every report names one of this hasher's threads. (Which threads got work is a race over ~80 ms of
        // hashing; the split between members is asserted in HasherFailoverIT, which waits for it.)
        assertThat(reports).extracting(HashReport::hasher).isSubsetOf("eo-t0", "eo-t1");

        // And the wallet (which the verdict holds to exactly the coins the reports count, once each, each
        // re-verifying) is not empty, each coin keyed by its hash
        assertThat(coins).isNotEmpty();
        assertThat(coinRecords).allMatch(r -> new String(r.key()).equals(
                Topics.COINS.valueSerde().deserializer().deserialize(Topics.COINS.name(), r.value()).hash()));
    }

    static <T> List<T> values(String topic, List<ConsumerRecord<byte[], byte[]>> records, Class<T> type) {
        var serde = Topics.ALL.stream().filter(t -> t.name().equals(topic)).findFirst().orElseThrow().valueSerde();
        return records.stream().map(r -> type.cast(serde.deserializer().deserialize(topic, r.value())))
                .collect(Collectors.toList());
    }
}
