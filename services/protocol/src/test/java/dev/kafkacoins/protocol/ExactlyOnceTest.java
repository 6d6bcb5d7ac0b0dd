package dev.kafkacoins.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ExactlyOnceTest {

    private static final String SEED = "c34fa3887dcce47fcb7812e6bdeedb8455e6e663e94dc2f093dc75096ce88c8f";
    private static final int DIFFICULTY = Block.MIN_DIFFICULTY;

    private final Block a = Block.of("rng-a-1", SEED, 100, DIFFICULTY, 1_000);
    private final Block b = Block.of("rng-a-2", SEED, 200, DIFFICULTY, 1_000);
    private final Coin coin = coin(a);

    @Test
    void oneReportPerBlockHolds() {
        ExactlyOnce.Verdict verdict = ExactlyOnce.judge(List.of(a, b),
                List.of(report(a, "h-t0", 1), report(b, "h-t1", 0)), List.of(coin));
        assertThat(verdict.problems()).isEmpty();
        assertThat(verdict.ok()).isTrue();
        assertThat(verdict.expectedHashes()).isEqualTo(300);
        assertThat(verdict.perHasher()).containsEntry("h-t0", new ExactlyOnce.Tally(100, 1, 1))
                .containsEntry("h-t1", new ExactlyOnce.Tally(200, 1, 0));
    }

    @Test
    void aSecondReportForABlockIsADuplicate() {
        ExactlyOnce.Verdict verdict = ExactlyOnce.judge(List.of(a, b),
                List.of(report(a, "h-t0", 0), report(b, "h-t0", 0), report(a, "h-t1", 0)));
        assertThat(verdict.duplicated()).isEqualTo(1);
        assertThat(verdict.problems()).contains("duplicated=1", "reported_hashes=400 expected=300");
        assertThat(verdict.perHasher().get("h-t0").blocks()).isEqualTo(2);
    }

    @Test
    void aBlockWithNoReportIsLost() {
        ExactlyOnce.Verdict verdict = ExactlyOnce.judge(List.of(a, b), List.of(report(b, "h-t0", 0)));
        assertThat(verdict.lost()).isEqualTo(1);
        assertThat(verdict.problems()).contains("lost=1", "reported_hashes=200 expected=300");
    }

    @Test
    void aReportForABlockNeverCommittedIsUnknown() {
        ExactlyOnce.Verdict verdict = ExactlyOnce.judge(List.of(a), List.of(report(a, "h-t0", 0),
                report(b, "h-t0", 0)));
        assertThat(verdict.unknown()).isEqualTo(1);
        assertThat(verdict.problems()).contains("reports_for_unknown_blocks=1");
    }

    @Test
    void theWalletMustHoldExactlyTheCountedCoinsOnceEachAndVerifying() {
        Coin forged = Coin.of(coin.hash(), SEED, coin.nonce() + 1, DIFFICULTY, a.id(), "h-t0", 2_000);
        ExactlyOnce.Verdict verdict = ExactlyOnce.judge(List.of(a), List.of(report(a, "h-t0", 1)),
                List.of(coin, forged));
        assertThat(verdict.problems()).containsExactly("coins_committed=2 reported=1", "coins_not_verifying=1",
                "coins_twice=1");
    }

    @Test
    void nothingCommittedIsNoVerdictOfSuccess() {
        assertThat(ExactlyOnce.judge(List.of(), List.of()).problems()).containsExactly("no_blocks_committed");
    }

    private static HashReport report(Block block, String hasher, int coins) {
        return HashReport.of(block.id(), hasher, 0, 0, block.nonces(), coins, block.createdAt(), 2_000);
    }

    /** The block's first nonce whose hash meets the difficulty: a real coin. */
    private static Coin coin(Block block) {
        byte[] seed = HexFormat.of().parseHex(block.seed());
        long nonce = LongStream.range(0, block.nonces())
                .filter(n -> HashKernel.leadingZeroBits(HashKernel.hash(seed, n)) >= block.difficulty())
                .findFirst().orElseThrow();
        return Coin.of(HexFormat.of().formatHex(HashKernel.hash(seed, nonce)), block.seed(), nonce,
                block.difficulty(), block.id(), "h-t0", 2_000);
    }
}
