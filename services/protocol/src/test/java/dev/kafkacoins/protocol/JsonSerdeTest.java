package dev.kafkacoins.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonSerdeTest {

    private static final String SEED = "c34fa3887dcce47fcb7812e6bdeedb8455e6e663e94dc2f093dc75096ce88c8f";
    private static final JsonSerde<Block> BLOCKS = (JsonSerde<Block>) Topics.BLOCKS.valueSerde();

    @Test
    void writesBlocksInTheDocumentedWireFormat() {
        Block block = Block.of("rng-a-1", SEED, 65536, 24, 1700000000000L);

        assertThat(BLOCKS.toJson(block)).isEqualTo("{\"v\":1,\"id\":\"rng-a-1\",\"seed\":\"" + SEED
                + "\",\"nonces\":65536,\"difficulty\":24,\"createdAt\":1700000000000}");
        assertThat(BLOCKS.fromJson(BLOCKS.toJson(block))).isEqualTo(block);
    }

    @Test
    void roundTripsReportsAndCoins() {
        JsonSerde<HashReport> reports = (JsonSerde<HashReport>) Topics.HASHES.valueSerde();
        JsonSerde<Coin> coins = (JsonSerde<Coin>) Topics.COINS.valueSerde();
        HashReport report = HashReport.of("rng-a-1", "h-0", 3, 42, 65536, 1, 10, 20);
        Coin coin = Coin.of("000019fc0604a74da65829ca0f54a8ecb75dc61a45511e938f17f864cc5b0ff2", SEED, 63416, 19,
                "rng-a-1", "h-0", 30);

        assertThat(reports.fromJson(reports.toJson(report))).isEqualTo(report);
        assertThat(coins.fromJson(coins.toJson(coin))).isEqualTo(coin);
        assertThat(reports.toJson(report)).startsWith("{\"v\":1,\"block\":\"rng-a-1\",\"hasher\":\"h-0\",\"partition\":3");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not JSON           | {"v":1,                                                                   | Block: Unexpected end-of-input
            unknown version    | {"v":2,"id":"a","seed":"%s","nonces":1,"difficulty":8,"createdAt":1}      | Block.v: unsupported version 2 (this build reads v1)
            missing seed       | {"v":1,"id":"a","nonces":1,"difficulty":8,"createdAt":1}                   | Block.seed is missing
            null id            | {"v":1,"id":null,"seed":"%s","nonces":1,"difficulty":8,"createdAt":1}     | Block.id is null
            seed too short     | {"v":1,"id":"a","seed":"abc","nonces":1,"difficulty":8,"createdAt":1}     | Block.seed must be 64 lowercase hex characters, got "abc"
            seed uppercase     | {"v":1,"id":"a","seed":"%S","nonces":1,"difficulty":8,"createdAt":1}      | Block.seed must be 64 lowercase hex characters
            zero nonces        | {"v":1,"id":"a","seed":"%s","nonces":0,"difficulty":8,"createdAt":1}      | Block.nonces must be in [1, 4194304], got 0
            nonces above cap   | {"v":1,"id":"a","seed":"%s","nonces":4194305,"difficulty":8,"createdAt":1} | Block.nonces must be in [1, 4194304], got 4194305
            difficulty too low | {"v":1,"id":"a","seed":"%s","nonces":1,"difficulty":7,"createdAt":1}      | Block.difficulty must be in [8, 64], got 7
            unknown field      | {"v":1,"id":"a","seed":"%s","nonces":1,"difficulty":8,"createdAt":1,"x":0} | Block.x is not a field of this format
            trailing garbage   | {"v":1,"id":"a","seed":"%s","nonces":1,"difficulty":8,"createdAt":1} {}   | Trailing token
            blank id           | {"v":1,"id":" ","seed":"%s","nonces":1,"difficulty":8,"createdAt":1}      | Block.id must be 1 to 200 non-blank characters
            """)
    void rejectsMalformedBlocksWithAPreciseMessage(String why, String json, String message) {
        assertThatThrownBy(() -> BLOCKS.fromJson(json.formatted(SEED, SEED)))
                .as(why)
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining(message);
    }

    @Test
    void rejectsARecordWithoutValue() {
        assertThatThrownBy(() -> BLOCKS.deserialize("miner.blocks", null))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("Block: record has no value (null)");
    }

    @Test
    void theRegistryNamesEveryTopicOnce() {
        assertThat(Topics.ALL).extracting(Topic::name).doesNotHaveDuplicates()
                .contains("miner.blocks", "miner.blocks.dlq", "miner.hashes", "miner.hashes.dlq", "miner.coins",
                        "miner.rates", "miner.totals");
        assertThat(Topics.COINS.compacted()).isTrue();
        assertThat(Topics.BLOCKS.partitions()).isEqualTo(6);
    }
}
