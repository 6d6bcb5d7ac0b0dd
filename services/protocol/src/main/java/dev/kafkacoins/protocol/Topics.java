package dev.kafkacoins.protocol;

import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topic registry: the only place in the code base that spells a topic name. Producers, consumers, tests,
 * topic creation and the deployment's ACL checks all read names, serdes and defaults from here.
 *
 * <p>Try it against a running stack:
 * <pre>
 *   kafka-topics.sh --bootstrap-server 127.0.0.1:9092 --describe --topic miner.blocks
 *   kafka-console-consumer.sh --bootstrap-server 127.0.0.1:9092 --topic miner.coins --from-beginning \
 *       --isolation-level read_committed
 * </pre>
 */
public final class Topics {

    /** rng → hashers. Partitions cap the hasher group's parallelism. */
    public static final Topic<String, Block> BLOCKS =
            new Topic<>("miner.blocks", Serdes.String(), new JsonSerde<>(Block.class), 6, Topic.DELETE);

    /** Blocks that failed to parse or validate, byte for byte, with {@link DeadLetters} headers. */
    public static final Topic<byte[], byte[]> BLOCKS_DLQ = deadLetters(BLOCKS);

    /** hashers → aggregator: one report per committed block, keyed by hasher id. */
    public static final Topic<String, HashReport> HASHES =
            new Topic<>("miner.hashes", Serdes.String(), new JsonSerde<>(HashReport.class), 6, Topic.DELETE);

    /** Hash reports the aggregator could not use. */
    public static final Topic<byte[], byte[]> HASHES_DLQ = deadLetters(HASHES);

    /** The wallet: compacted, keyed by the coin's hash, so a coin found twice is still one coin. */
    public static final Topic<String, Coin> COINS =
            new Topic<>("miner.coins", Serdes.String(), new JsonSerde<>(Coin.class), 3, Topic.COMPACT);

    /** aggregator → sink: per-hasher 1-second windows, absolute values so far, keyed by hasher id. */
    public static final Topic<String, RateWindow> RATES =
            new Topic<>("miner.rates", Serdes.String(), new JsonSerde<>(RateWindow.class), 6, Topic.DELETE);

    /** aggregator → sink: per-hasher lifetime totals, keyed by hasher id; compacted, the latest is the truth. */
    public static final Topic<String, HasherTotal> TOTALS =
            new Topic<>("miner.totals", Serdes.String(), new JsonSerde<>(HasherTotal.class), 6, Topic.COMPACT);

    /**
     * The sink's own dead letters: records of miner.rates, miner.totals or miner.coins that are not valid, or whose
     * row PostgreSQL refused (a constraint or data error), with {@link DeadLetters} headers naming the source topic.
     */
    public static final Topic<byte[], byte[]> SINK_DLQ = new Topic<>("miner.sink.dlq", Serdes.ByteArray(),
            Serdes.ByteArray(), 1, Topic.DELETE);

    public static final List<Topic<?, ?>> ALL =
            List.of(BLOCKS, BLOCKS_DLQ, HASHES, HASHES_DLQ, COINS, RATES, TOTALS, SINK_DLQ);

    /** Where every refused record ends up, whichever service refused it. */
    public static final List<Topic<byte[], byte[]>> DEAD_LETTERS = List.of(BLOCKS_DLQ, HASHES_DLQ, SINK_DLQ);

    private Topics() {
    }

    private static Topic<byte[], byte[]> deadLetters(Topic<?, ?> source) {
        Serde<byte[]> bytes = Serdes.ByteArray();
        return new Topic<>(source.name() + ".dlq", bytes, bytes, 1, Topic.DELETE);
    }
}
