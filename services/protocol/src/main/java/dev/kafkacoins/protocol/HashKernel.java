package dev.kafkacoins.protocol;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The proof-of-work: {@code SHA-256(seed ‖ nonce as 8-byte big-endian)} for every nonce of a block, and the
 * coin test (at least {@code difficulty} leading zero bits).
 *
 * <p>One instance per thread (it reuses its digest and buffers). The inner loop allocates nothing per nonce:
 * the 40-byte input is rewritten in place and the digest lands in a reused 32-byte buffer, so the JDK's
 * SHA-256 intrinsic does nearly all of the work.
 */
public final class HashKernel {

    public static final int SEED_BYTES = 32;
    public static final int INPUT_BYTES = SEED_BYTES + Long.BYTES;
    public static final int HASH_BYTES = 32;

    private static final HexFormat HEX = HexFormat.of();

    /** Called for each coin; {@code hash} is only valid during the call (the buffer is reused). */
    @FunctionalInterface
    public interface CoinListener {
        void onCoin(long nonce, byte[] hash);
    }

    private final MessageDigest sha256 = newSha256();
    private final byte[] input = new byte[INPUT_BYTES];
    private final byte[] hash = new byte[HASH_BYTES];

    /**
     * Hashes nonces {@code [0, nonces)} and reports every coin to {@code listener}.
     *
     * @return the number of coins found
     */
    public int hashBlock(byte[] seed, long nonces, int difficulty, CoinListener listener) {
        if (seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("seed must be " + SEED_BYTES + " bytes, got " + seed.length);
        }
        System.arraycopy(seed, 0, input, 0, SEED_BYTES);
        int coins = 0;
        for (long nonce = 0; nonce < nonces; nonce++) {
            digest(nonce);
            if (leadingZeroBits(hash) >= difficulty) {
                coins++;
                listener.onCoin(nonce, hash);
            }
        }
        return coins;
    }

    private void digest(long nonce) {
        for (int i = 0; i < Long.BYTES; i++) {
            input[INPUT_BYTES - 1 - i] = (byte) (nonce >>> (8 * i));
        }
        sha256.update(input, 0, INPUT_BYTES);
        try {
            sha256.digest(hash, 0, HASH_BYTES);
        } catch (DigestException e) {
            throw new IllegalStateException("a 32-byte buffer always fits a SHA-256 digest", e);
        }
    }

    /** The hash of one (seed, nonce) pair; allocates, so it is for verification, not for mining. */
    public static byte[] hash(byte[] seed, long nonce) {
        HashKernel kernel = new HashKernel();
        System.arraycopy(seed, 0, kernel.input, 0, SEED_BYTES);
        kernel.digest(nonce);
        return kernel.hash.clone();
    }

    public static int leadingZeroBits(byte[] bytes) {
        int bits = 0;
        for (byte b : bytes) {
            if (b != 0) {
                return bits + Integer.numberOfLeadingZeros(b & 0xff) - 24;
            }
            bits += 8;
        }
        return bits;
    }

    /** True when the coin's hash is what its seed and nonce give and it meets its difficulty. */
    public static boolean verify(Coin coin) {
        byte[] recomputed = hash(HEX.parseHex(coin.seed()), coin.nonce());
        return HEX.formatHex(recomputed).equals(coin.hash()) && leadingZeroBits(recomputed) >= coin.difficulty();
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide SHA-256", e);
        }
    }
}
