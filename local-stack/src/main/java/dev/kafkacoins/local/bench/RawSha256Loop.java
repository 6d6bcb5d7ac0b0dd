package dev.kafkacoins.local.bench;

import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The physical limit {@code ./miner bench} compares with: one thread hashing 40-byte inputs (a 32-byte seed and
 * an 8-byte big-endian nonce, as blocks are hashed) with a plain reused {@link MessageDigest}, nothing else.
 * Runs in a JVM of its own with the full JIT; prints hashes per second on its last line.
 * <p>
 * Argument: seconds to run (after a 3 s warm-up).
 */
public final class RawSha256Loop {

    private RawSha256Loop() {
    }

    public static void main(String[] args) throws Exception {
        long seconds = Long.parseLong(args[0]);
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        byte[] input = new byte[40];
        System.arraycopy(HexFormat.of().parseHex(
                "5feceb66ffc86f38d952786c6d696c79c2dbc239dd4e91b46729d73a27fb57e9"), 0, input, 0, 32);
        int sink = 0;
        long nonce = 0;
        long warmUpEnd = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < warmUpEnd) {
            sink += hash(sha256, input, nonce++);
        }
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long hashes = 0;
        long now;
        do {
            for (int i = 0; i < 4096; i++) {
                sink += hash(sha256, input, nonce++);
            }
            hashes += 4096;
            now = System.nanoTime();
        } while (now < end);
        // Printing sink keeps the JIT from dropping the loop as dead code.
        System.out.println("checksum " + sink);
        System.out.println(hashes / ((now - start) / 1e9));
    }

    private static int hash(MessageDigest sha256, byte[] input, long nonce) {
        for (int i = 0; i < 8; i++) {
            input[39 - i] = (byte) (nonce >>> (8 * i));
        }
        return sha256.digest(input)[0];
    }
}
