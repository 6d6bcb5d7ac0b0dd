package dev.kafkacoins.webui;

import dev.kafkacoins.protocol.Coin;
import java.time.Instant;
import java.util.List;

/** The JSON shapes of the public API under /api; the README documents them. */
final class ApiModel {

    private ApiModel() {
    }

    /** {@code GET /api/summary}: lifetime totals and the current rate (hashes/s over the last complete seconds). */
    record Summary(long hashes, long coins, long blocks, double rate, int hashers, Instant at) {
    }

    /** One hasher's hashes in one second. */
    record RatePoint(Instant t, String hasher, long hashes) {
    }

    /** {@code GET /api/rates}: the points between {@code from} (inclusive) and {@code to} (exclusive). */
    record Rates(Instant from, Instant to, List<RatePoint> points) {
    }

    /** {@code GET /api/coins}: one page, newest first. */
    record CoinPage(int page, int size, List<Coin> items) {
    }

    /** {@code GET /api/coins/{hash}}: the coin and whether it re-verifies from its seed and nonce right now. */
    record VerifiedCoin(Coin coin, boolean verified) {
    }
}
