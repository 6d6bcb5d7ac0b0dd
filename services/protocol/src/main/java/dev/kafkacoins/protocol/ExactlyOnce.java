package dev.kafkacoins.protocol;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pipeline's exactly-once contract as a verdict, from what Kafka committed alone: every committed block has
 * exactly one committed report, the reports account for every nonce, and (given the wallet) the wallet holds
 * exactly the coins the reports count, each once and each re-verifying. The hasher's tests, the pipeline's and the
 * chaos audit all judge by this one rule; what each compares it with downstream (PostgreSQL, the dashboard) is
 * their own business.
 */
public final class ExactlyOnce {

    /** One hasher's lifetime figures: Σ hashes, the blocks it reported, Σ coins. */
    public record Tally(long hashes, long blocks, long coins) {

        public static final Tally ZERO = new Tally(0, 0, 0);

        public Tally plus(HashReport report) {
            return new Tally(hashes + report.hashes(), blocks + 1, coins + report.coins());
        }

        public Tally plus(Tally other) {
            return new Tally(hashes + other.hashes, blocks + other.blocks, coins + other.coins);
        }
    }

    /**
     * @param lost           committed blocks with no committed report
     * @param duplicated     reports beyond the first for a block
     * @param unknown        blocks reported that were never committed
     * @param expectedHashes Σ nonces of the committed blocks
     * @param perHasher      the committed reports' sums per hasher id
     * @param problems       each broken rule, named with its figures; empty when the contract holds
     */
    public record Verdict(int blocks, int reports, long lost, long duplicated, long unknown, long expectedHashes,
                          long reportedHashes, Map<String, Tally> perHasher, List<String> problems) {

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private ExactlyOnce() {
    }

    /** The verdict on blocks and reports alone, for a reader that judges the wallet elsewhere. */
    public static Verdict judge(Collection<Block> committedBlocks, Collection<HashReport> committedReports) {
        return judge(committedBlocks, committedReports, null);
    }

    /** @param committedCoins the committed wallet records, or null to leave the wallet out of the verdict */
    public static Verdict judge(Collection<Block> committedBlocks, Collection<HashReport> committedReports,
                                Collection<Coin> committedCoins) {
        Map<String, Long> nonces = new HashMap<>();
        committedBlocks.forEach(b -> nonces.put(b.id(), (long) b.nonces()));
        Map<String, Integer> reportsPerBlock = new HashMap<>();
        Map<String, Tally> perHasher = new HashMap<>();
        for (HashReport report : committedReports) {
            reportsPerBlock.merge(report.block(), 1, Integer::sum);
            perHasher.merge(report.hasher(), Tally.ZERO.plus(report), Tally::plus);
        }
        long lost = nonces.keySet().stream().filter(id -> !reportsPerBlock.containsKey(id)).count();
        long duplicated = reportsPerBlock.values().stream().mapToLong(n -> n - 1).sum();
        long unknown = reportsPerBlock.keySet().stream().filter(id -> !nonces.containsKey(id)).count();
        long expectedHashes = nonces.values().stream().mapToLong(Long::longValue).sum();
        long reportedHashes = committedReports.stream().mapToLong(HashReport::hashes).sum();

        List<String> problems = new ArrayList<>();
        if (nonces.isEmpty()) {
            problems.add("no_blocks_committed");
        }
        if (lost > 0) {
            problems.add("lost=" + lost);
        }
        if (duplicated > 0) {
            problems.add("duplicated=" + duplicated);
        }
        if (unknown > 0) {
            problems.add("reports_for_unknown_blocks=" + unknown);
        }
        if (reportedHashes != expectedHashes) {
            problems.add("reported_hashes=" + reportedHashes + " expected=" + expectedHashes);
        }
        if (committedCoins != null) {
            wallet(committedCoins, committedReports, problems);
        }
        return new Verdict(nonces.size(), committedReports.size(), lost, duplicated, unknown, expectedHashes,
                reportedHashes, Map.copyOf(perHasher), List.copyOf(problems));
    }

    private static void wallet(Collection<Coin> coins, Collection<HashReport> reports, List<String> problems) {
        long counted = reports.stream().mapToLong(HashReport::coins).sum();
        if (coins.size() != counted) {
            problems.add("coins_committed=" + coins.size() + " reported=" + counted);
        }
        long failing = coins.stream().filter(c -> !HashKernel.verify(c)).count();
        if (failing > 0) {
            problems.add("coins_not_verifying=" + failing);
        }
        Set<String> seen = new HashSet<>();
        long twice = coins.stream().filter(c -> !seen.add(c.hash())).count();
        if (twice > 0) {
            problems.add("coins_twice=" + twice);
        }
    }
}
