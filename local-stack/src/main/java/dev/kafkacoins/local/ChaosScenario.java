package dev.kafkacoins.local;

import dev.kafkacoins.protocol.Block;
import dev.kafkacoins.protocol.Coin;
import dev.kafkacoins.protocol.HashKernel;
import dev.kafkacoins.protocol.HashReport;
import dev.kafkacoins.protocol.Topic;
import dev.kafkacoins.protocol.Topics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./miner chaos}: faults while the miner runs, then the exactly-once invariants checked against what Kafka
 * and PostgreSQL hold. Faults: SIGKILL a random hasher every few seconds (restarted a few seconds later), SIGKILL
 * the aggregator and the sink once each, PostgreSQL stopped for about 10 s, and poison records on
 * {@code miner.blocks} and {@code miner.hashes}. Then rng stops, the pipeline drains, and:
 * <ul>
 *   <li>every valid block has exactly one committed report ({@code lost}, {@code duplicated});</li>
 *   <li>{@code SUM(hashes)} in PostgreSQL equals Σ nonces of the committed blocks;</li>
 *   <li>every coin row re-verifies, and PostgreSQL holds exactly the distinct coins committed to miner.coins;</li>
 *   <li>each DLQ holds exactly the poison records sent to its topic.</li>
 * </ul>
 */
final class ChaosScenario implements StackRun.Scenario {

    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(3);

    private final Duration length;
    private final int poisonPerTopic;
    private final Random random;
    private final PrintStream out;
    private final Instant start = Instant.now();

    ChaosScenario(Duration length, int poisonPerTopic, long seed, PrintStream out) {
        this.length = length;
        this.poisonPerTopic = poisonPerTopic;
        this.random = new Random(seed);
        this.out = out;
    }

    @Override
    public int run(Supervisor supervisor, Catalog catalog, Probes probes) throws Exception {
        List<byte[]> blockPoison = new ArrayList<>();
        List<byte[]> reportPoison = new ArrayList<>();
        ExecutorService restarts = Executors.newVirtualThreadPerTaskExecutor();
        try (KafkaProducer<byte[], byte[]> producer = producer(catalog)) {
            Instant end = Instant.now().plus(length);
            long seconds = length.toSeconds();
            Map<Long, Runnable> once = new LinkedHashMap<>();
            once.put(seconds / 5, () -> poison(producer, blockPoison, reportPoison, poisonPerTopic / 2));
            once.put(seconds * 3 / 10, () -> killAndRestart(supervisor, restarts, Catalog.AGGREGATOR));
            once.put(seconds / 2, () -> killAndRestart(supervisor, restarts, Catalog.SINK));
            once.put(seconds * 13 / 20, () -> postgresOutage(supervisor, restarts));
            once.put(seconds * 4 / 5, () -> poison(producer, blockPoison, reportPoison,
                    poisonPerTopic - poisonPerTopic / 2));
            Instant nextHasherKill = Instant.now().plusSeconds(3 + random.nextInt(4));
            while (Instant.now().isBefore(end)) {
                long at = seconds - Duration.between(Instant.now(), end).toSeconds();
                once.entrySet().removeIf(e -> {
                    if (at >= e.getKey()) {
                        e.getValue().run();
                        return true;
                    }
                    return false;
                });
                if (Instant.now().isAfter(nextHasherKill)) {
                    killRandomHasher(supervisor, restarts);
                    nextHasherKill = Instant.now().plusSeconds(4 + random.nextInt(5));
                }
                Thread.sleep(250);
            }
            once.values().forEach(Runnable::run); // a run too short for a step still takes it
        }
        restarts.shutdown();
        if (!restarts.awaitTermination(3, TimeUnit.MINUTES)) {
            throw new MinerException("restarts after the faults did not finish within 3 minutes");
        }
        log("faults over; stopping rng and draining");
        supervisor.stop(Catalog.RNG);
        Drain.await(probes.admin(), DRAIN_TIMEOUT);
        log("drained");
        return verdict(catalog, blockPoison, reportPoison);
    }

    private void killRandomHasher(Supervisor supervisor, ExecutorService restarts) {
        if (supervisor.readyHashers().size() < 2) {
            log("skipping a hasher kill: fewer than two hashers are ready");
            return;
        }
        try {
            String killed = supervisor.kill("hasher");
            log(killed);
            String name = killed.split(" ")[1];
            restartLater(supervisor, restarts, name, Duration.ofSeconds(2 + random.nextInt(3)));
        } catch (MinerException e) {
            log("no hasher to kill: " + e.getMessage());
        }
    }

    private void killAndRestart(Supervisor supervisor, ExecutorService restarts, String name) {
        log(supervisor.kill(name));
        restartLater(supervisor, restarts, name, Duration.ofSeconds(3));
    }

    private void postgresOutage(Supervisor supervisor, ExecutorService restarts) {
        log(supervisor.stop(Catalog.POSTGRES) + " (PostgreSQL unreachable for about 10 s)");
        restartLater(supervisor, restarts, Catalog.POSTGRES, Duration.ofSeconds(10));
    }

    private void restartLater(Supervisor supervisor, ExecutorService restarts, String name, Duration after) {
        restarts.submit(() -> {
            try {
                sleep(after);
                log(supervisor.restart(name));
            } catch (MinerException | InterruptedException e) {
                log("restarting " + name + " failed: " + e.getMessage());
            }
        });
    }

    private void poison(KafkaProducer<byte[], byte[]> producer, List<byte[]> blocks, List<byte[]> reports, int n) {
        for (int i = 0; i < n; i++) {
            byte[] block = ("chaos poison block " + blocks.size() + " " + HexFormat.of().toHexDigits(random.nextLong()))
                    .getBytes(StandardCharsets.UTF_8);
            byte[] report = ("{\"v\":1,\"poison\":" + reports.size() + ",\"r\":\""
                    + HexFormat.of().toHexDigits(random.nextLong()) + "\"}").getBytes(StandardCharsets.UTF_8);
            producer.send(new ProducerRecord<>(Topics.BLOCKS.name(), null, block));
            producer.send(new ProducerRecord<>(Topics.HASHES.name(), "chaos".getBytes(StandardCharsets.UTF_8), report));
            blocks.add(block);
            reports.add(report);
        }
        producer.flush();
        log("sent " + n + " poison records to " + Topics.BLOCKS.name() + " and " + n + " to " + Topics.HASHES.name());
    }

    private int verdict(Catalog catalog, List<byte[]> blockPoison, List<byte[]> reportPoison) throws Exception {
        Map<String, Object> bootstrap = catalog.kafkaAdmin();
        Map<String, Long> nonces = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readCommitted(bootstrap, Topics.BLOCKS.name())) {
            try {
                Block block = Topics.BLOCKS.valueSerde().deserializer().deserialize(Topics.BLOCKS.name(), r.value());
                nonces.put(block.id(), (long) block.nonces());
            } catch (RuntimeException poison) {
                // counted through the DLQ below
            }
        }
        Map<String, Integer> reports = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readCommitted(bootstrap, Topics.HASHES.name())) {
            try {
                HashReport report = Topics.HASHES.valueSerde().deserializer().deserialize(Topics.HASHES.name(),
                        r.value());
                reports.merge(report.block(), 1, Integer::sum);
            } catch (RuntimeException poison) {
                // the chaos poison, routed by the aggregator
            }
        }
        long lost = nonces.keySet().stream().filter(id -> !reports.containsKey(id)).count();
        long duplicated = reports.values().stream().mapToLong(n -> n - 1).sum();
        long unknown = reports.keySet().stream().filter(id -> !nonces.containsKey(id)).count();
        long expectedHashes = nonces.values().stream().mapToLong(Long::longValue).sum();

        Set<String> committedCoins = new HashSet<>();
        TopicReader.readCommitted(bootstrap, Topics.COINS.name())
                .forEach(r -> committedCoins.add(new String(r.key(), StandardCharsets.UTF_8)));
        long pgHashes;
        List<String> badCoins = new ArrayList<>();
        Set<String> pgCoins = new HashSet<>();
        try (Connection c = catalog.openDatabase()) {
            try (ResultSet rows = c.createStatement().executeQuery(
                    "SELECT COALESCE(SUM(hashes), 0) FROM hasher_totals")) {
                rows.next();
                pgHashes = rows.getLong(1);
            }
            try (ResultSet rows = c.createStatement().executeQuery(
                    "SELECT hash, seed, nonce, difficulty, block, hasher, found_at FROM coins")) {
                while (rows.next()) {
                    pgCoins.add(rows.getString(1));
                    Coin coin = Coin.of(rows.getString(1), rows.getString(2), rows.getLong(3), rows.getInt(4),
                            rows.getString(5), rows.getString(6), rows.getTimestamp(7).getTime());
                    if (!HashKernel.verify(coin)) {
                        badCoins.add(coin.hash());
                    }
                }
            }
        }
        int blocksRouted = matches(TopicReader.readCommitted(bootstrap, Topics.BLOCKS_DLQ.name()), blockPoison);
        int reportsRouted = matches(TopicReader.readCommitted(bootstrap, Topics.HASHES_DLQ.name()), reportPoison);
        int poisonSent = blockPoison.size() + reportPoison.size();
        int poisonRouted = blocksRouted + reportsRouted;

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("seconds", length.toSeconds());
        summary.put("blocks", nonces.size());
        summary.put("reports", reports.values().stream().mapToInt(Integer::intValue).sum());
        summary.put("lost", lost);
        summary.put("duplicated", duplicated);
        summary.put("reports_for_unknown_blocks", unknown);
        summary.put("expected_hashes", expectedHashes);
        summary.put("postgres_hashes", pgHashes);
        summary.put("coins_committed", committedCoins.size());
        summary.put("coins_in_postgres", pgCoins.size());
        summary.put("coins_not_verifying", badCoins.size());
        summary.put("poison_sent", poisonSent);
        summary.put("poison_routed", poisonRouted);
        out.println(JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(summary));

        List<String> problems = new ArrayList<>();
        if (pgHashes != expectedHashes) {
            problems.add("postgres_hashes=" + pgHashes + " expected=" + expectedHashes);
        }
        if (unknown > 0) {
            problems.add("reports_for_unknown_blocks=" + unknown);
        }
        if (!badCoins.isEmpty()) {
            problems.add("coins_not_verifying=" + badCoins.size());
        }
        if (!pgCoins.equals(committedCoins)) {
            problems.add("coins_in_postgres=" + pgCoins.size() + " committed=" + committedCoins.size());
        }
        String verdict = "lost=" + lost + " duplicated=" + duplicated + " poison_routed=" + poisonRouted + "/"
                + poisonSent;
        boolean ok = lost == 0 && duplicated == 0 && poisonRouted == poisonSent && problems.isEmpty()
                && !nonces.isEmpty();
        out.println(verdict + (ok ? " ok" : " FAILED" + (problems.isEmpty() ? "" : " " + String.join(" ", problems))));
        return ok ? 0 : 1;
    }

    /** How many of the sent payloads are in the DLQ, byte for byte; anything else there is a failure too. */
    private static int matches(List<ConsumerRecord<byte[], byte[]>> dlq, List<byte[]> sent) {
        List<String> expected = new ArrayList<>(sent.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList());
        int found = 0;
        for (ConsumerRecord<byte[], byte[]> r : dlq) {
            if (r.value() != null && expected.remove(new String(r.value(), StandardCharsets.UTF_8))) {
                found++;
            } else {
                found--; // a dead letter nobody sent as poison: counts against the verdict
            }
        }
        return found;
    }

    private static KafkaProducer<byte[], byte[]> producer(Catalog catalog) {
        Map<String, Object> config = new HashMap<>(catalog.kafkaAdmin());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "miner-chaos-poison");
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private void log(String message) {
        out.printf("[chaos %5.1f s] %s%n", Duration.between(start, Instant.now()).toMillis() / 1000.0, message);
    }

    private static void sleep(Duration duration) throws InterruptedException {
        // A fault schedule's pause, not a wait for a condition.
        Thread.sleep(duration);
    }
}
