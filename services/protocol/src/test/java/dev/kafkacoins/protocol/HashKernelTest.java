package dev.kafkacoins.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Expected values were computed outside Java, with OpenSSL's SHA-256 ({@code sha256sum} and Python's hashlib),
 * so the kernel is checked against an independent implementation rather than against itself.
 */
class HashKernelTest {

    private static final HexFormat HEX = HexFormat.of();
    /** SHA-256("kafkacoins"), used as the seed of the hand-checked vectors. */
    private static final String SEED = "c34fa3887dcce47fcb7812e6bdeedb8455e6e663e94dc2f093dc75096ce88c8f";

    @Test
    void hashesFortyZeroBytesLikeSha256sum() {
        // head -c 40 /dev/zero | sha256sum
        assertThat(HEX.formatHex(HashKernel.hash(new byte[32], 0)))
                .isEqualTo("2c34ce1df23b838c5abf2a7f6437cca3d3067ed509ff25f11df6b11b582b51eb");
    }

    @Test
    void appendsTheNonceAsEightByteBigEndian() {
        byte[] seed = HEX.parseHex(SEED);
        assertThat(HEX.formatHex(HashKernel.hash(seed, 0)))
                .isEqualTo("3259bd744fb36719f2dabf3f11e6e6e3d870bbef325945d3764fa3e9151cd2d6");
        assertThat(HEX.formatHex(HashKernel.hash(seed, 1)))
                .isEqualTo("d9a040878dad7e35cef391a80ddb6bee22e0400f38a9edf605853a033b31c291");
        assertThat(HEX.formatHex(HashKernel.hash(seed, 255)))
                .isEqualTo("5af969d96d0478c4ad6a65b55cf23f07b77d49fbd4e11928af394b2f01348fbb");
        assertThat(HEX.formatHex(HashKernel.hash(seed, 65535)))
                .isEqualTo("9ac42132f90cd37327de38f021d94e87bb1ee12c4d3f33bba922b29008e2328f");
    }

    @Test
    void findsExactlyTheHandCheckedCoinsOfABlock() {
        List<String> found = new ArrayList<>();
        int coins = new HashKernel().hashBlock(HEX.parseHex(SEED), 1 << 18, 16,
                (nonce, hash) -> found.add(nonce + ":" + HEX.formatHex(hash)));

        // Every nonce in [0, 2^18) whose hash has >= 16 leading zero bits, found by brute force with hashlib.
        assertThat(coins).isEqualTo(6);
        assertThat(found).containsExactly(
                "63416:000019fc0604a74da65829ca0f54a8ecb75dc61a45511e938f17f864cc5b0ff2",
                "117321:0000c4ae5829d3030b5c172297a0420f66dfc3483b65ae9faa4cfec71e3f0083",
                "125506:00009f6dc3a4ace03a48fb4e6ecfe5000910f1cb0cfea0d7e55c0ac24e8e8935",
                "207602:0000790aa302bd0d4a7913ab9db6e1c52e9e02f6bf4835090bdbd5e08054317d",
                "237625:0000ffe340d05e12d30ddc45abd43dcc92efdd988a62af4f5da63ef86ba232ce",
                "244271:0000e443f26835cd4c73cda602e57e20cf6f5a7a3d6dd5bb07b2a6ce61e3d6b4");
    }

    @Test
    void countsLeadingZeroBits() {
        assertThat(HashKernel.leadingZeroBits(HEX.parseHex("ff00"))).isZero();
        assertThat(HashKernel.leadingZeroBits(HEX.parseHex("0100"))).isEqualTo(7);
        assertThat(HashKernel.leadingZeroBits(HEX.parseHex("000019fc"))).isEqualTo(19);
        assertThat(HashKernel.leadingZeroBits(HEX.parseHex("00000000"))).isEqualTo(32);
    }

    @Test
    void verifiesARealCoinAndRejectsTamperedOnes() {
        Coin coin = Coin.of("000019fc0604a74da65829ca0f54a8ecb75dc61a45511e938f17f864cc5b0ff2", SEED, 63416, 19,
                "rng-test-1", "hasher-test-0", 1L);
        assertThat(HashKernel.verify(coin)).isTrue();

        assertThat(HashKernel.verify(Coin.of(coin.hash(), SEED, 63417, 19, "rng-test-1", "hasher-test-0", 1L)))
                .as("wrong nonce").isFalse();
        assertThat(HashKernel.verify(Coin.of(coin.hash(), SEED, 63416, 20, "rng-test-1", "hasher-test-0", 1L)))
                .as("claims more difficulty than the hash has").isFalse();
        assertThat(HashKernel.verify(Coin.of("000019fc0604a74da65829ca0f54a8ecb75dc61a45511e938f17f864cc5b0ff3", SEED,
                63416, 19, "rng-test-1", "hasher-test-0", 1L))).as("altered hash").isFalse();
    }
}
