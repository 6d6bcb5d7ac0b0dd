package dev.kafkacoins.webui;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.kafkacoins.protocol.Coin;
import java.time.Instant;
import java.util.List;

/** The JSON shapes of the public API under /api; docs/architecture.md documents them. */
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
    record CoinPage(int page, int size, List<WalletCoin> items) {
    }

    /**
     * A coin of the wallet: its fields, and when its block was traced the trace's id and, when the dashboard knows
     * a trace UI ({@code webui.zipkin-url}), the address of the trace there.
     */
    record WalletCoin(@JsonUnwrapped Coin coin, @JsonInclude(JsonInclude.Include.NON_NULL) String traceId,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String traceUrl, @JsonIgnore String traceparent) {
    }

    /**
     * One event of {@code GET /api/stream}: the summary, every per-hasher point since {@code since} and every older
     * one written since then (a client merges them by time and hasher, so overlapping events never double count)
     * and the newest coins.
     */
    record Update(Instant at, Instant since, Summary summary, List<RatePoint> points,
                  List<WalletCoin> newestCoins) {
    }

    /** {@code GET /api/group}: the hasher group as {@code kafka-consumer-groups --describe} shows it. */
    record Group(String group, String state, int partitions, long totalLag, List<Member> members,
                 List<PartitionLag> lag, Instant at) {
    }

    /** A member and the partitions it owns; {@code idle} when it owns none (more members than partitions). */
    record Member(String memberId, String clientId, String host, List<Integer> partitions, boolean idle) {
    }

    /** {@code committed}: where the group resumes (its committed offset, else the partition's earliest). */
    record PartitionLag(int partition, long committed, long end, long lag) {
    }

    /**
     * {@code GET /api/alerts}: what the stack's Prometheus has pending or firing, firing first, oldest first.
     * {@code prometheus} is its address, for a link to it.
     */
    record Alerts(String prometheus, List<Alert> alerts, Instant at) {
    }

    /** One alert: its rule's name, {@code pending} or {@code firing}, since when, and its summary. */
    record Alert(String name, String state, String severity, Instant since, String summary) {
    }

    /** {@code GET /api/coins/{hash}}: the coin and whether it re-verifies from its seed and nonce right now. */
    record VerifiedCoin(Coin coin, boolean verified) {
    }
}
