package dev.kafkacoins.hasher;

import dev.kafkacoins.protocol.Block;
import dev.kafkacoins.protocol.Coin;
import dev.kafkacoins.protocol.HashKernel;
import dev.kafkacoins.protocol.HashReport;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Turns one block into its hash report and coins. Pure apart from the clock; one instance per thread. */
final class BlockHasher {

    private static final HexFormat HEX = HexFormat.of();

    private final HashKernel kernel = new HashKernel();
    private final String hasherId;
    private final Clock clock;

    BlockHasher(String hasherId, Clock clock) {
        this.hasherId = hasherId;
        this.clock = clock;
    }

    record Result(HashReport report, List<Coin> coins) {
    }

    Result hash(Block block, int partition, long offset) {
        List<Coin> coins = new ArrayList<>();
        kernel.hashBlock(HEX.parseHex(block.seed()), block.nonces(), block.difficulty(), (nonce, hash) ->
                coins.add(Coin.of(HEX.formatHex(hash), block.seed(), nonce, block.difficulty(), block.id(), hasherId,
                        clock.millis())));
        HashReport report = HashReport.of(block.id(), hasherId, partition, offset, block.nonces(), coins.size(),
                block.createdAt(), clock.millis());
        return new Result(report, coins);
    }
}
