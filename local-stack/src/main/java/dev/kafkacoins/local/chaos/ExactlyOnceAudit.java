package dev.kafkacoins.local.chaos;

import dev.kafkacoins.local.stack.Catalog;
import dev.kafkacoins.local.stack.Probes;
import dev.kafkacoins.local.stack.TopicReader;
import dev.kafkacoins.protocol.Block;
import dev.kafkacoins.protocol.Coin;
import dev.kafkacoins.protocol.CoinRows;
import dev.kafkacoins.protocol.ExactlyOnce;
import dev.kafkacoins.protocol.ExactlyOnce.Tally;
import dev.kafkacoins.protocol.HashKernel;
import dev.kafkacoins.protocol.HashReport;
import dev.kafkacoins.protocol.Topic;
import dev.kafkacoins.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import tools.jackson.databind.JsonNode;

/**
 * The exactly-once audit of a drained pipeline: what Kafka committed against what PostgreSQL and the dashboard
 * show. Every figure comes from a source of its own (read_committed topics, SQL, the dashboard's API), so a
 * double count or a loss anywhere between them shows up as a mismatch, named in {@link Result#problems()}.
 * <ul>
 *   <li>the committed blocks and reports keep the pipeline's contract ({@link ExactlyOnce}: exactly one report per
 *       block, {@code lost}, {@code duplicated}, the reports' Σ hashes);</li>
 *   <li>{@code SUM(hashes)} in PostgreSQL equals Σ nonces of the committed blocks;</li>
 *   <li>each hasher's row (hashes, blocks, coins) equals the sums of that hasher's committed reports;</li>
 *   <li>each hasher's rate windows sum to its total (no report was late beyond the grace);</li>
 *   <li>every coin row re-verifies, and PostgreSQL holds exactly the distinct coins committed to miner.coins;</li>
 *   <li>every injected record is in a dead-letter topic exactly once, and nothing else is;</li>
 *   <li>the dashboard's {@code /api/summary} equals PostgreSQL.</li>
 * </ul>
 */
final class ExactlyOnceAudit {

    record Result(Map<String, Object> summary, List<String> problems, long lost, long duplicated, int routed,
                  int injected) {
        boolean ok() {
            return problems.isEmpty();
        }
    }

    private final Catalog catalog;
    private final Probes probes;

    ExactlyOnceAudit(Catalog catalog, Probes probes) {
        this.catalog = catalog;
        this.probes = probes;
    }

    Result run(InjectedRecords injected) throws Exception {
        List<Block> blocks = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : committed(Topics.BLOCKS, injected)) {
            Block block = parse(Topics.BLOCKS, r);
            if (block != null) {
                blocks.add(block);
            }
        }
        List<HashReport> reports = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : committed(Topics.HASHES, injected)) {
            HashReport report = parse(Topics.HASHES, r);
            if (report != null) {
                reports.add(report);
            }
        }
        ExactlyOnce.Verdict verdict = ExactlyOnce.judge(blocks, reports);
        Set<String> injectedCoins = injected.sentTo(Topics.COINS.name());
        Set<String> committedCoins = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readCommitted(catalog.kafkaAdmin(),
                Topics.COINS.name())) {
            if (r.value() != null && !injectedCoins.contains(new String(r.value(), StandardCharsets.UTF_8))) {
                committedCoins.add(new String(r.key(), StandardCharsets.UTF_8));
            }
        }

        long expectedHashes = verdict.expectedHashes();

        Map<String, Tally> totals = new HashMap<>();
        Map<String, Long> windowed = new HashMap<>();
        Set<String> pgCoins = new HashSet<>();
        List<String> badCoins = new ArrayList<>();
        try (Connection c = catalog.openDatabase(); Statement s = c.createStatement()) {
            try (ResultSet rows = s.executeQuery("SELECT hasher, hashes, blocks, coins FROM hasher_totals")) {
                while (rows.next()) {
                    totals.put(rows.getString(1), new Tally(rows.getLong(2), rows.getLong(3), rows.getLong(4)));
                }
            }
            try (ResultSet rows = s.executeQuery("SELECT hasher, SUM(hashes) FROM hash_rates GROUP BY hasher")) {
                while (rows.next()) {
                    windowed.put(rows.getString(1), rows.getLong(2));
                }
            }
            try (ResultSet rows = s.executeQuery(CoinRows.SELECT)) {
                while (rows.next()) {
                    Coin coin = CoinRows.coin(rows);
                    pgCoins.add(coin.hash());
                    if (!HashKernel.verify(coin)) {
                        badCoins.add(coin.hash());
                    }
                }
            }
        }
        long pgHashes = totals.values().stream().mapToLong(Tally::hashes).sum();
        DeadLetterCount dead = deadLetters(injected);
        JsonNode dashboard = probes.get(catalog.ports().webui(), "/api/summary");

        List<String> problems = new ArrayList<>(verdict.problems());
        if (pgHashes != expectedHashes) {
            problems.add("postgres_hashes=" + pgHashes + " expected=" + expectedHashes);
        }
        List<String> hasherMismatches = mismatches(verdict.perHasher(), totals);
        if (!hasherMismatches.isEmpty()) {
            problems.add("hasher_totals_vs_reports=" + hasherMismatches);
        }
        Map<String, Long> totalHashes = new HashMap<>();
        totals.forEach((hasher, t) -> totalHashes.put(hasher, t.hashes()));
        List<String> windowMismatches = mismatches(totalHashes, windowed);
        if (!windowMismatches.isEmpty()) {
            problems.add("rate_windows_vs_totals=" + windowMismatches);
        }
        if (!badCoins.isEmpty()) {
            problems.add("coins_not_verifying=" + badCoins.size());
        }
        if (!pgCoins.equals(committedCoins)) {
            problems.add("coins_in_postgres=" + pgCoins.size() + " committed=" + committedCoins.size());
        }
        if (dead.routed != dead.injected || dead.unexpected > 0) {
            problems.add("dead_letters: " + dead.routed + " of " + dead.injected + " injected, "
                    + dead.unexpected + " unexpected, not dead-lettered: " + dead.missing);
        }
        String summaryMismatch = dashboardMismatch(dashboard, totals.values());
        if (summaryMismatch != null) {
            problems.add(summaryMismatch);
        }

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("blocks", verdict.blocks());
        summary.put("reports", verdict.reports());
        summary.put("lost", verdict.lost());
        summary.put("duplicated", verdict.duplicated());
        summary.put("reports_for_unknown_blocks", verdict.unknown());
        summary.put("expected_hashes", expectedHashes);
        summary.put("postgres_hashes", pgHashes);
        summary.put("hashers", totals.size());
        summary.put("coins_committed", committedCoins.size());
        summary.put("coins_in_postgres", pgCoins.size());
        summary.put("coins_not_verifying", badCoins.size());
        summary.put("poison_sent", injected.poisonCount() * 2);
        summary.put("hostile_sent", injected.hostileCount() * 3);
        summary.put("dead_lettered", dead.routed);
        summary.put("dead_letters_unexpected", dead.unexpected);
        summary.put("dead_letter_topics", dead.perTopic);
        summary.put("dashboard_hashes", dashboard == null ? null : dashboard.path("hashes").asLong());
        return new Result(summary, List.copyOf(problems), verdict.lost(), verdict.duplicated(), dead.routed,
                dead.injected);
    }

    /** Committed records of a topic, less the ones the run injected there itself. */
    private List<ConsumerRecord<byte[], byte[]>> committed(Topic<?, ?> topic, InjectedRecords injected) {
        Set<String> skip = injected.sentTo(topic.name());
        return TopicReader.readCommitted(catalog.kafkaAdmin(), topic.name()).stream()
                .filter(r -> r.value() != null && !skip.contains(new String(r.value(), StandardCharsets.UTF_8)))
                .toList();
    }

    /** The record's value, or null for one no service would accept either (it is a dead letter's business). */
    private static <V> V parse(Topic<String, V> topic, ConsumerRecord<byte[], byte[]> record) {
        try {
            return topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
        } catch (RuntimeException invalid) {
            return null;
        }
    }

    /** @param missing the injected payloads no dead-letter topic holds, abbreviated */
    private record DeadLetterCount(int injected, int routed, int unexpected, Map<String, Integer> perTopic,
                                   List<String> missing) {
    }

    /** Each injected payload must be in one of the registry's dead-letter topics exactly once. */
    private DeadLetterCount deadLetters(InjectedRecords injected) {
        List<String> expected = new ArrayList<>(injected.all());
        int total = expected.size();
        int routed = 0;
        int unexpected = 0;
        Map<String, Integer> perTopic = new LinkedHashMap<>();
        for (Topic<?, ?> topic : Topics.DEAD_LETTERS) {
            List<ConsumerRecord<byte[], byte[]>> letters = TopicReader.readCommitted(catalog.kafkaAdmin(),
                    topic.name());
            perTopic.put(topic.name(), letters.size());
            for (ConsumerRecord<byte[], byte[]> r : letters) {
                if (r.value() != null && expected.remove(new String(r.value(), StandardCharsets.UTF_8))) {
                    routed++;
                } else {
                    unexpected++;
                }
            }
        }
        List<String> missing = expected.stream()
                .map(p -> p.length() <= 100 ? p : p.substring(0, 97) + "...")
                .map(p -> p.replaceAll("\\p{Cntrl}", "?")).toList();
        return new DeadLetterCount(total, routed, unexpected, perTopic, missing);
    }

    /** "key: expected≠actual" for every key whose values differ, a key missing on either side included. */
    private static <V> List<String> mismatches(Map<String, V> expected, Map<String, V> actual) {
        Set<String> keys = new HashSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        return keys.stream().sorted()
                .filter(k -> !Objects.equals(expected.get(k), actual.get(k)))
                .map(k -> k + ":" + expected.get(k) + "≠" + actual.get(k))
                .toList();
    }

    private static String dashboardMismatch(JsonNode dashboard, Iterable<Tally> totals) {
        if (dashboard == null) {
            return "dashboard_summary_unavailable";
        }
        long hashes = 0;
        long blocks = 0;
        long coins = 0;
        for (Tally t : totals) {
            hashes += t.hashes();
            blocks += t.blocks();
            coins += t.coins();
        }
        long shownHashes = dashboard.path("hashes").asLong(-1);
        long shownBlocks = dashboard.path("blocks").asLong(-1);
        long shownCoins = dashboard.path("coins").asLong(-1);
        if (shownHashes != hashes || shownBlocks != blocks || shownCoins != coins) {
            return "api_summary=" + shownHashes + "/" + shownBlocks + "/" + shownCoins + " postgres=" + hashes
                    + "/" + blocks + "/" + coins;
        }
        return null;
    }
}
