package dev.kafkacoins.hasher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkacoins.protocol.Block;
import dev.kafkacoins.protocol.Coin;
import dev.kafkacoins.protocol.HashKernel;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BlockHasherTest {

    /** SHA-256("kafkacoins"); its coins at difficulty 16 below 2^18 were found independently with hashlib. */
    private static final String SEED = "c34fa3887dcce47fcb7812e6bdeedb8455e6e663e94dc2f093dc75096ce88c8f";

    private final BlockHasher hasher = new BlockHasher("h1-t0",
            Clock.fixed(Instant.ofEpochMilli(5000), ZoneOffset.UTC));

    @Test
    void reportsEveryNonceAndEveryCoinOfTheBlock() {
        Block block = Block.of("rng-x-1", SEED, 1 << 18, 16, 1234);

        BlockHasher.Result result = hasher.hash(block, 4, 99);

        assertThat(result.report().hashes()).isEqualTo(1 << 18);
        assertThat(result.report().coins()).isEqualTo(6);
        assertThat(result.report()).extracting("block", "hasher", "partition", "offset", "createdAt", "hashedAt")
                .containsExactly("rng-x-1", "h1-t0", 4, 99L, 1234L, 5000L);
        assertThat(result.coins()).extracting(Coin::nonce).containsExactly(63416L, 117321L, 125506L, 207602L,
                237625L, 244271L);
        assertThat(result.coins()).allMatch(HashKernel::verify).allMatch(c -> c.block().equals("rng-x-1"));
    }

    @Test
    void aBlockWithoutCoinsStillReportsItsHashes() {
        BlockHasher.Result result = hasher.hash(Block.of("rng-x-2", SEED, 1000, 30, 1), 0, 0);

        assertThat(result.report().hashes()).isEqualTo(1000);
        assertThat(result.coins()).isEmpty();
    }
}
