package dev.kafkacoins.local.bench;

import dev.kafkacoins.local.MinerException;
import dev.kafkacoins.local.OutcomeText;
import dev.kafkacoins.local.StackOptions;
import dev.kafkacoins.local.observe.Zipkin;
import dev.kafkacoins.local.stack.Catalog;
import dev.kafkacoins.local.stack.Probes;
import dev.kafkacoins.local.stack.TopicReader;
import dev.kafkacoins.local.supervisor.RunningStack;
import dev.kafkacoins.local.supervisor.Scenario;
import dev.kafkacoins.local.supervisor.Supervisor;
import dev.kafkacoins.protocol.Block;
import dev.kafkacoins.protocol.HashReport;
import dev.kafkacoins.protocol.Schema;
import dev.kafkacoins.protocol.Topics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.admin.NewTopic;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * {@code ./miner bench}: the local stack's end-to-end figures against the physical limits measured in the same
 * run. Every end-to-end figure is counted where a user sees it: the hashes in PostgreSQL's {@code hasher_totals}.
 * <ol>
 *   <li>cpu: one hasher per core, rng in auto mode, default block size → {@code hash_efficiency} = hashes/s
 *       ÷ (one thread's raw SHA-256 loop × cores);</li>
 *   <li>scaling: the same with one hasher → the ratio;</li>
 *   <li>latency: rng at half the measured capacity → block created to visible in {@code hasher_totals}, p50/p99;</li>
 *   <li>messaging: blocks of one nonce, rng in auto mode → blocks/s ÷ Kafka's own ProducerPerformance for
 *       records of the same size on the same broker → {@code messaging_efficiency}.</li>
 * </ol>
 * With {@code --observe} the stack runs with Prometheus and Zipkin, as {@code up --observe} does, and a phase after
 * the cpu phase gives {@code observe_overhead}, the share of the hash rate that observing costs, split into what
 * Prometheus's scrapes and what tracing cost.
 */
public final class BenchScenario implements Scenario {

    private static final Duration WARM_UP = Duration.ofSeconds(15);
    /**
     * Windows the observe phase lets pass before it counts: in the first minutes after start the broker's and the
     * hashers' share of the CPU still shift by more than the cost that phase looks for.
     */
    private static final int SETTLING_WINDOWS = 2;
    private static final String PERF_TOPIC = "bench.producer-perf";
    private static final int MESSAGING_LAG_BOUND = 100_000;

    private final StackOptions options;
    private final Duration window;
    private final PrintStream out;
    private final Instant start = Instant.now();

    public BenchScenario(StackOptions options, Duration window, PrintStream out) {
        this.options = options;
        this.window = window;
        this.out = out;
    }

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public StackOptions options() {
        return options;
    }

    @Override
    public Verdict run(RunningStack stack) throws Exception {
        Supervisor supervisor = stack.supervisor();
        Catalog catalog = stack.catalog();
        Probes probes = stack.probes();
        int cores = Runtime.getRuntime().availableProcessors();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("cores", cores);
        summary.put("window_seconds", window.toSeconds());

        log("cpu phase: " + supervisor.readyHashers().size() + " hashers, rng auto, default block size");
        Window cpuWindow = measure(supervisor, catalog);
        double cpu = cpuWindow.hashesPerSecond();
        double noncesPerBlock = noncesPerBlock(catalog);
        summary.put("e2e_hashes_per_s", Math.round(cpu));
        summary.put("cpu_phase_cores_used", cpuWindow.cores());
        summary.put("nonces_per_block", Math.round(noncesPerBlock));

        String observeCost = options.observe() ? observeCost(supervisor, catalog, summary) : "";

        double one = scaling(supervisor, catalog, cores);
        summary.put("e2e_hashes_per_s_1_hasher", Math.round(one));
        summary.put("scaling_" + cores + "_vs_1", round(cpu / one));

        List<Long> latencies = latency(supervisor, catalog, 0.5 * cpu / noncesPerBlock, summary);

        // rng's auto mode tops the lag up every lag-check interval (200 ms), so its bound caps the flow at
        // bound / interval: 5,000 would cap it at 25,000 blocks/s, which the pipeline reaches.
        log("messaging phase: blocks of 1 nonce, rng auto with a lag bound of " + MESSAGING_LAG_BOUND);
        log(OutcomeText.of(supervisor.replace(
                catalog.rng(null, 1, List.of("--rng.max-lag=" + MESSAGING_LAG_BOUND)))));
        Window messagingWindow = measure(supervisor, catalog);
        double blocks = messagingWindow.hashesPerSecond();
        summary.put("e2e_blocks_per_s", Math.round(blocks));
        summary.put("messaging_phase_cores_used", messagingWindow.cores());

        log("draining, then the physical limits on the idle machine");
        stack.stopRngAndDrain(Duration.ofMinutes(3));
        int recordSize = blockBytes();
        double producerPerf = producerPerformance(catalog, probes, recordSize, blocks);
        double raw = rawLoop(catalog);
        summary.put("record_bytes", recordSize);
        summary.put("producer_perf_records_per_s", Math.round(producerPerf));
        summary.put("raw_sha256_per_s_one_thread", Math.round(raw));
        double hashEfficiency = cpu / (raw * cores);
        double messagingEfficiency = blocks / producerPerf;
        summary.put("hash_efficiency", round(hashEfficiency));
        summary.put("messaging_efficiency", round(messagingEfficiency));

        return new Verdict(summary, String.format(Locale.ROOT, "hash_efficiency=%.2f messaging_efficiency=%.2f "
                        + "p50=%d ms p99=%d ms scaling=%.2f e2e=%.1f M hashes/s raw=%.1f M/s/core blocks=%d/s "
                        + "producer_perf=%d/s%s", hashEfficiency, messagingEfficiency, percentile(latencies, 50),
                percentile(latencies, 99), cpu / one, cpu / 1e6, raw / 1e6, Math.round(blocks),
                Math.round(producerPerf), observeCost), true);
    }

    /**
     * {@code --observe}: what observing costs the cpu phase's hash rate, and which part of it. The same stack in three
     * arms: observed, as {@code up --observe} runs (Prometheus scraping the services every 15 s and the broker's JMX
     * exporter every 30 s; rng starting at most {@value Zipkin#TRACES_PER_SECOND} traces a second); scraped (rng
     * tracing none: every block's header says "not sampled", so no service records a span); and unobserved
     * (Prometheus also stopped with SIGSTOP: no scrapes, and its own CPU at zero). Two windows settle first, since
     * the CPU's split still shifts for minutes after start; then the arms run in the palindrome observed, scraped,
     * unobserved, unobserved, scraped, observed, so that a drift over the phase weighs on each arm alike, and rng
     * starts afresh before each.
     * <p>
     * Each comparison is given twice. From the hash rate, what a user sees, but moved too by the cores' own speed,
     * which drifts on a shared machine by more than the cost looked for. And from the hashers' share of the CPU:
     * they are CPU-bound, so what observing costs them is the CPU the other processes (Prometheus and Zipkin
     * included) take in addition, whatever the speed of the cores. What neither sees: writing and reading the
     * unsampled headers, and the exporter agent's idle cost in the broker, present in every arm.
     */
    private String observeCost(Supervisor supervisor, Catalog catalog, Map<String, Object> summary) throws Exception {
        Map<ObserveArm, List<Window>> windows = new LinkedHashMap<>();
        boolean scraping = true;
        try {
            log("observe phase: settling, " + SETTLING_WINDOWS + " windows not counted");
            for (int i = 0; i < SETTLING_WINDOWS; i++) {
                measure(supervisor, catalog);
            }
            for (ObserveArm arm : ObserveArm.PALINDROME) {
                if (arm.scrapes != scraping) {
                    log("observe phase: " + OutcomeText.of(supervisor.signal(Catalog.PROMETHEUS,
                            arm.scrapes ? "CONT" : "STOP")));
                    scraping = arm.scrapes;
                }
                // rng starts again before every window, whether its tracing changes or not: a JVM just started
                // spends CPU on compiling for a while, and that should weigh on every arm alike.
                log("observe phase: " + arm.label + "; " + OutcomeText.of(supervisor.replace(
                        catalog.rngTracing(arm.tracesPerSecond))));
                windows.computeIfAbsent(arm, a -> new ArrayList<>()).add(measure(supervisor, catalog));
            }
        } finally {
            // The phases after this one run observed, as up --observe does; and a stopped process cannot end on
            // SIGTERM when the stack stops.
            if (!scraping) {
                log("observe phase done: " + OutcomeText.of(supervisor.signal(Catalog.PROMETHEUS, "CONT")));
            }
        }
        Map<ObserveArm, Double> rate = new LinkedHashMap<>();
        Map<ObserveArm, Double> hasherCores = new LinkedHashMap<>();
        windows.forEach((arm, list) -> {
            rate.put(arm, mean(list, Window::hashesPerSecond));
            hasherCores.put(arm, mean(list, w -> cores(w, CpuUse.HASHERS)));
            String key = "observe_" + arm.name().toLowerCase(Locale.ROOT);
            // Each window's own figure: the spread within an arm says how much of a difference is noise.
            summary.put(key + "_windows_hashes_per_s", list.stream().map(w -> Math.round(w.hashesPerSecond())).toList());
            summary.put(key + "_cores", meanCores(list));
        });
        // In percent with a decimal: an overhead of a few tenths would round to nothing as a fraction.
        double overhead = cost(rate, ObserveArm.UNOBSERVED, ObserveArm.OBSERVED);
        double cpuOverhead = cost(hasherCores, ObserveArm.UNOBSERVED, ObserveArm.OBSERVED);
        double scrapes = cost(hasherCores, ObserveArm.UNOBSERVED, ObserveArm.SCRAPED);
        double traces = cost(hasherCores, ObserveArm.SCRAPED, ObserveArm.OBSERVED);
        summary.put("observe_overhead_percent", overhead);
        summary.put("observe_scrape_overhead_percent", cost(rate, ObserveArm.UNOBSERVED, ObserveArm.SCRAPED));
        summary.put("observe_trace_overhead_percent", cost(rate, ObserveArm.SCRAPED, ObserveArm.OBSERVED));
        summary.put("observe_overhead_cpu_percent", cpuOverhead);
        summary.put("observe_scrape_overhead_cpu_percent", scrapes);
        summary.put("observe_trace_overhead_cpu_percent", traces);
        summary.put("observe_trace_traces_per_s", Zipkin.TRACES_PER_SECOND);
        return String.format(Locale.ROOT, " observe_overhead=%.1f%% (of the hashers' CPU: %.1f%%, scrapes %.1f%%, "
                + "traces %.1f%%)", overhead, cpuOverhead, scrapes, traces);
    }

    /** 1 − with ÷ without, in percent to a tenth. */
    private static double cost(Map<ObserveArm, Double> figure, ObserveArm without, ObserveArm with) {
        return Math.round((1 - figure.get(with) / figure.get(without)) * 1000) / 10.0;
    }

    /** What {@code --observe} does in each arm of the observe phase. */
    private enum ObserveArm {
        OBSERVED(true, Zipkin.TRACES_PER_SECOND, "Prometheus scraping, rng tracing"),
        SCRAPED(true, 0, "Prometheus scraping, no traces"),
        UNOBSERVED(false, 0, "no scrapes, no traces");

        static final List<ObserveArm> PALINDROME = List.of(OBSERVED, SCRAPED, UNOBSERVED, UNOBSERVED, SCRAPED, OBSERVED);

        private final boolean scrapes;
        private final int tracesPerSecond;
        private final String label;

        ObserveArm(boolean scrapes, int tracesPerSecond, String label) {
            this.scrapes = scrapes;
            this.tracesPerSecond = tracesPerSecond;
            this.label = label;
        }
    }

    /** Each service's cores, averaged over the windows. */
    private static Map<String, Double> meanCores(List<Window> windows) {
        Map<String, Double> sums = new LinkedHashMap<>();
        windows.forEach(w -> w.cores().forEach((service, cores) -> sums.merge(service, cores, Double::sum)));
        sums.replaceAll((service, sum) -> round(sum / windows.size()));
        return sums;
    }

    private static double cores(Window window, String service) {
        return window.cores().getOrDefault(service, 0.0);
    }

    private static double mean(List<Window> windows, ToDoubleFunction<Window> figure) {
        return windows.stream().mapToDouble(figure).average().orElseThrow();
    }

    /** Hashes per second with one hasher; the stack goes back to one hasher per core afterwards. */
    private double scaling(Supervisor supervisor, Catalog catalog, int cores) throws Exception {
        log("scaling phase: " + OutcomeText.count(supervisor.scaleHashers(1)));
        double one = measure(supervisor, catalog).hashesPerSecond();
        log(OutcomeText.count(supervisor.scaleHashers(cores)));
        return one;
    }

    /** rng paced at {@code rate}; every block made in the window, from creation to counted in PostgreSQL. */
    private List<Long> latency(Supervisor supervisor, Catalog catalog, double rate, Map<String, Object> summary)
            throws Exception {
        log(String.format(Locale.ROOT, "latency phase: rng at %.1f blocks/s, half the measured capacity", rate));
        log(OutcomeText.of(supervisor.replace(catalog.rng(rate, null, List.of()))));
        Instant from = Instant.now().plus(WARM_UP);
        List<Snapshot> visible = visibility(catalog, from, from.plus(window));
        List<Latency> samples = latencies(catalog, visible, from, from.plus(window));
        List<Long> latencies = samples.stream().map(Latency::millis).toList();
        summary.put("latency_blocks_per_s", round(rate));
        summary.put("latency_samples", latencies.size());
        summary.put("latency_p50_ms", percentile(latencies, 50));
        summary.put("latency_p99_ms", percentile(latencies, 99));
        summary.put("latency_max_ms", percentile(latencies, 100));
        // The two legs: rng, Kafka and a hasher up to the report; then the aggregator, the sink and PostgreSQL.
        List<Long> toHashed = samples.stream().map(Latency::hashedAfter).toList();
        List<Long> toVisible = samples.stream().map(l -> l.millis() - l.hashedAfter()).toList();
        summary.put("latency_to_hashed_p50_p99_ms", List.of(percentile(toHashed, 50), percentile(toHashed, 99)));
        summary.put("latency_hashed_to_visible_p50_p99_ms",
                List.of(percentile(toVisible, 50), percentile(toVisible, 99)));
        // When the blocks that waited longest were made, and which leg held them: one stall or a spread tail.
        summary.put("latency_slowest", samples.stream().sorted(Comparator.comparingLong(Latency::millis).reversed())
                .limit(5).map(l -> Instant.ofEpochMilli(l.created()) + " " + l.millis() + " ms (hashed after "
                        + l.hashedAfter() + " ms)").toList());
        return latencies;
    }

    /** The serialized size of a one-nonce block, as rng writes it: the record size ProducerPerformance sends. */
    private static int blockBytes() {
        Block block = Block.of("rng-local-" + Long.toString(System.currentTimeMillis(), 36) + "-1000000",
                "00".repeat(32), 1, 24, System.currentTimeMillis());
        return Topics.BLOCKS.valueSerde().serializer().serialize(Topics.BLOCKS.name(), block).length;
    }

    /** Hashes per second added to hasher_totals over the window after a warm-up, and the cores each service used. */
    private Window measure(Supervisor supervisor, Catalog catalog) throws Exception {
        Thread.sleep(WARM_UP);
        long h0 = totalHashes(catalog);
        CpuUse cpu0 = CpuUse.read(supervisor);
        long t0 = System.nanoTime();
        Thread.sleep(window);
        long h1 = totalHashes(catalog);
        Map<String, Double> cores = CpuUse.read(supervisor).coresSince(cpu0);
        double rate = (h1 - h0) / ((System.nanoTime() - t0) / 1e9);
        log(String.format(Locale.ROOT, "  %.1f hashes/s (%,d hashes in %d s); cores used: %s", rate, h1 - h0,
                window.toSeconds(), cores));
        return new Window(rate, cores);
    }

    private record Window(double hashesPerSecond, Map<String, Double> cores) {
    }

    private double noncesPerBlock(Catalog catalog) throws Exception {
        try (Connection c = catalog.openDatabase(); ResultSet rows = c.createStatement().executeQuery(
                "SELECT SUM(hashes)::float8 / NULLIF(SUM(blocks), 0) FROM hasher_totals")) {
            rows.next();
            return rows.getDouble(1);
        }
    }

    private static long totalHashes(Catalog catalog) throws Exception {
        try (Connection c = catalog.openDatabase(); ResultSet rows = c.createStatement().executeQuery(
                "SELECT COALESCE(SUM(hashes), 0) FROM hasher_totals")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /**
     * At every NOTIFY of the sink, the time and how many blocks {@code hasher_totals} holds per hasher, until a few
     * seconds after the window so that the window's last blocks become visible too.
     */
    private static List<Snapshot> visibility(Catalog catalog, Instant from, Instant to) throws Exception {
        List<Snapshot> snapshots = new ArrayList<>();
        try (Connection listen = catalog.openDatabase(); Connection query = catalog.openDatabase()) {
            listen.createStatement().execute("LISTEN " + Schema.NOTIFY_CHANNEL);
            PGConnection notifications = listen.unwrap(PGConnection.class);
            long end = to.plusSeconds(5).toEpochMilli();
            while (System.currentTimeMillis() < end) {
                PGNotification[] batch = notifications.getNotifications(1000);
                if (batch == null || batch.length == 0 || System.currentTimeMillis() < from.toEpochMilli()) {
                    continue;
                }
                Map<String, Long> blocks = new HashMap<>();
                try (ResultSet rows = query.createStatement().executeQuery(
                        "SELECT hasher, blocks FROM hasher_totals")) {
                    while (rows.next()) {
                        blocks.put(rows.getString(1), rows.getLong(2));
                    }
                }
                snapshots.add(new Snapshot(System.currentTimeMillis(), blocks));
            }
        }
        return snapshots;
    }

    /**
     * Reports are keyed by hasher, so one hasher's reports sit in one partition of miner.hashes in the order the
     * aggregator counts them: its k-th committed report is in PostgreSQL once that hasher's row counts k blocks.
     * Latency is then that moment minus the block's creation time, for every block created in the window.
     */
    private static List<Latency> latencies(Catalog catalog, List<Snapshot> snapshots, Instant from, Instant to) {
        List<Latency> samples = new ArrayList<>();
        Map<String, Long> seen = new HashMap<>();
        TopicReader.forEachCommitted(catalog.kafkaAdmin(), Topics.HASHES.name(), r -> {
            HashReport report = Topics.HASHES.valueSerde().deserializer().deserialize(Topics.HASHES.name(), r.value());
            // The aggregator groups by the record key, so count by it too.
            String hasher = new String(r.key(), StandardCharsets.UTF_8);
            long k = seen.merge(hasher, 1L, Long::sum);
            long created = report.createdAt();
            if (created >= from.toEpochMilli() && created < to.toEpochMilli()) {
                snapshots.stream().filter(s -> s.blocks().getOrDefault(hasher, 0L) >= k).findFirst()
                        .ifPresent(s -> samples.add(
                                new Latency(created, s.at() - created, report.hashedAt() - created)));
            }
        });
        return samples;
    }

    private record Snapshot(long at, Map<String, Long> blocks) {
    }

    private record Latency(long created, long millis, long hashedAfter) {
    }

    /** Kafka's own ProducerPerformance, as kafka-producer-perf-test.sh runs it, for records of the block's size. */
    private double producerPerformance(Catalog catalog, Probes probes, int recordSize, double blocksPerSecond)
            throws Exception {
        probes.admin().createTopics(List.of(new NewTopic(PERF_TOPIC, Topics.BLOCKS.partitions(), (short) 1)))
                .all().get(30, TimeUnit.SECONDS);
        long records = Math.max(200_000, Math.round(blocksPerSecond * 20));
        log("ProducerPerformance: " + records + " records of " + recordSize + " bytes, acks=all");
        // Its buffer pool (32 MiB) and its latency samples need more than a small heap.
        List<String> lines = runProgram(catalog.program("-Xmx512m", org.apache.kafka.tools.ProducerPerformance.class,
                "--topic", PERF_TOPIC, "--num-records", Long.toString(records), "--record-size",
                Integer.toString(recordSize), "--throughput", "-1", "--command-config",
                Catalog.kafkaAdminProperties(catalog.layout()).toString(), "--command-property", "acks=all"),
                Duration.ofMinutes(5));
        // Its last line: "200000 records sent, 81234.5 records/sec (15.49 MB/sec), 12.3 ms avg latency, …"
        String last = lines.getLast();
        log("  " + last);
        int at = last.indexOf(" records/sec");
        return Double.parseDouble(last.substring(last.lastIndexOf(' ', at - 1) + 1, at));
    }

    private double rawLoop(Catalog catalog) throws Exception {
        log("raw SHA-256 loop, one thread, 10 s");
        List<String> lines = runProgram(catalog.program("-Xmx64m", RawSha256Loop.class, "10"), Duration.ofMinutes(1));
        double raw = Double.parseDouble(lines.getLast().trim());
        log(String.format(Locale.ROOT, "  %.1f hashes/s", raw));
        return raw;
    }

    private static List<String> runProgram(List<String> command, Duration timeout) throws Exception {
        Path output = Files.createTempFile("miner-bench", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor();
            }
            List<String> lines = Files.readAllLines(output).stream().filter(l -> !l.isBlank()).toList();
            if (!ended || process.exitValue() != 0 || lines.isEmpty()) {
                String program = command.stream().filter(a -> a.startsWith("org.") || a.startsWith("dev."))
                        .findFirst().orElse(command.getFirst());
                throw new MinerException(program + (ended ? " failed" : " timed out after " + timeout) + ":\n"
                        + String.join("\n", lines));
            }
            return lines;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static long percentile(List<Long> samples, int p) {
        if (samples.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private void log(String message) {
        out.printf("[bench %5.1f s] %s%n", Duration.between(start, Instant.now()).toMillis() / 1000.0, message);
    }
}
