package dev.kafkacoins.rng;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkacoins.protocol.Block;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BlockFactoryTest {

    @Test
    void makesValidBlocksWithUniqueIdsAndSeeds() {
        BlockFactory factory = new BlockFactory("h1", 4096, 20);
        List<Block> blocks = IntStream.range(0, 10_000).mapToObj(i -> factory.next(1000L + i)).toList();

        assertThat(blocks).extracting(Block::id).doesNotHaveDuplicates().allMatch(id -> id.startsWith("rng-h1-"));
        assertThat(blocks).extracting(Block::seed).doesNotHaveDuplicates();
        assertThat(blocks).allMatch(b -> b.nonces() == 4096 && b.difficulty() == 20);
    }

    @Test
    void twoFactoriesForTheSameInstanceDoNotRepeatSeeds() {
        Set<String> seeds = new HashSet<>();
        for (int run = 0; run < 2; run++) {
            BlockFactory factory = new BlockFactory("h1", 1, 8);
            for (int i = 0; i < 1000; i++) {
                assertThat(seeds.add(factory.next(1).seed())).isTrue();
            }
        }
    }
}
