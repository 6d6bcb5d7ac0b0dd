package dev.kafkacoins.testsupport;

import dev.kafkacoins.protocol.Block;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/** Valid blocks with reproducible random seeds, for tests that feed {@code miner.blocks} directly. */
public final class TestBlocks {

    private TestBlocks() {
    }

    public static List<Block> random(String idPrefix, int count, int nonces, int difficulty, long seed) {
        Random random = new Random(seed);
        return IntStream.range(0, count).mapToObj(i -> {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            return Block.of(idPrefix + "-" + i, HexFormat.of().formatHex(bytes), nonces, difficulty,
                    System.currentTimeMillis());
        }).toList();
    }
}
