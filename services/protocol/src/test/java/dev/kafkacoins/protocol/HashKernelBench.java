package dev.kafkacoins.protocol;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hashes per second of the mining kernel against two plain {@code MessageDigest} loops over the same 40-byte
 * inputs (32-byte seed, 8-byte big-endian nonce): a naive one that allocates a digest and buffers per nonce,
 * and a tight one that reuses them, which is the floor the kernel cannot beat. Difficulty 64, so no coin is
 * ever reported and only hashing is measured. One operation is one hash.
 * <p>
 * {@code ./mvnw -q install -DskipTests && ./mvnw -q -pl services/protocol validate exec:exec@kernel-bench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class HashKernelBench {

    private static final int NONCES = 4096;
    private static final int NO_COIN = 64;

    private final byte[] seed = HexFormat.of().parseHex(
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    private final HashKernel kernel = new HashKernel();
    private final MessageDigest reused = sha256();
    private final byte[] input = new byte[HashKernel.INPUT_BYTES];

    @Benchmark
    @OperationsPerInvocation(NONCES)
    public int kernel() {
        return kernel.hashBlock(seed, NONCES, NO_COIN, (nonce, hash) -> {
            throw new AssertionError("difficulty 64 finds no coin");
        });
    }

    /** What a first version would write: a new digest, input and hash for every nonce. */
    @Benchmark
    @OperationsPerInvocation(NONCES)
    public int naiveMessageDigest() {
        int coins = 0;
        for (long nonce = 0; nonce < NONCES; nonce++) {
            byte[] in = ByteBuffer.allocate(HashKernel.INPUT_BYTES).put(seed).putLong(nonce).array();
            byte[] hash = sha256().digest(in);
            if (HashKernel.leadingZeroBits(hash) >= NO_COIN) {
                coins++;
            }
        }
        return coins;
    }

    /** One digest and one input buffer reused: a raw single-thread SHA-256 loop. */
    @Benchmark
    @OperationsPerInvocation(NONCES)
    public int reusedMessageDigest() {
        System.arraycopy(seed, 0, input, 0, HashKernel.SEED_BYTES);
        int coins = 0;
        for (long nonce = 0; nonce < NONCES; nonce++) {
            for (int i = 0; i < Long.BYTES; i++) {
                input[HashKernel.INPUT_BYTES - 1 - i] = (byte) (nonce >>> (8 * i));
            }
            if (HashKernel.leadingZeroBits(reused.digest(input)) >= NO_COIN) {
                coins++;
            }
        }
        return coins;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
