package dev.kafkacoins.system;

import dev.kafkacoins.protocol.RateWindow;
import dev.kafkacoins.protocol.Schema;
import dev.kafkacoins.protocol.Topic;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.testsupport.RealKafka;
import dev.kafkacoins.testsupport.RealPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A benchmark program (not a test): runs the real pipeline on the embedded broker and PostgreSQL and prints
 * <ul>
 *   <li>latency from a block's creation (rng) to the moment its hashes are visible in {@code hasher_totals}, p50 and
 *   p99, sampled at every NOTIFY the sink sends, at a steady rng rate;</li>
 *   <li>rows per second the sink writes when it drains a backlog of rate windows.</li>
 * </ul>
 * Run: {@code ./mvnw -q -pl streams-aggregator/sink validate exec:exec@sink-bench [-Dbench.seconds=60]
 * [-Dbench.rate=50] [-Dbench.backlog=200000]}.
 */
public final class SinkBench {

    public static void main(String[] args) throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 60);
        double rate = Double.parseDouble(System.getProperty("bench.rate", "50"));
        int backlog = Integer.getInteger("bench.backlog", 200_000);
        RealKafka kafka = new RealKafka(Topics.ALL.toArray(Topic[]::new));
        RealPostgres postgres = new RealPostgres();
        kafka.beforeAll(null);
        postgres.beforeAll(null);
        try (Pipeline pipeline = new Pipeline(kafka, postgres)) {
            pipeline.migrate();
            pipeline.startHasher(1);
            pipeline.startAggregator();
            ConfigurableApplicationContext sink = pipeline.startSink();

            List<Long> latencies = latencies(pipeline, postgres, rate, seconds);
            sink.close();
            double rowsPerSecond = drainRate(pipeline, kafka, postgres, backlog);

            Collections.sort(latencies);
            long p50 = percentile(latencies, 0.50);
            long p99 = percentile(latencies, 0.99);
            System.out.printf("{\"machine\":{\"cores\":%d,\"java\":\"%s\"},\"steady_rate_blocks_per_s\":%.1f,"
                            + "\"latency_samples\":%d,\"latency_ms\":{\"p50\":%d,\"p99\":%d,\"max\":%d},"
                            + "\"sink_backlog_rows\":%d,\"sink_rows_per_s\":%.0f}%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), rate,
                    latencies.size(), p50, p99, latencies.isEmpty() ? -1 : latencies.getLast(), backlog, rowsPerSecond);
            System.out.printf("SINK BENCH: created->visible p50=%d ms p99=%d ms (%d samples at %.0f blocks/s); "
                    + "sink drains %.0f rows/s%n", p50, p99, latencies.size(), rate, rowsPerSecond);
        } finally {
            postgres.afterAll(null);
            kafka.afterAll(null);
        }
        System.exit(0);
    }

    /**
     * Per-block latency. At every NOTIFY it notes the time and the newest block creation time the totals now
     * include; afterwards each block created in the measured window is visible at the first note that includes
     * its creation time. (Blocks are hashed about in creation order, as the hasher keeps up at this rate.)
     */
    private static List<Long> latencies(Pipeline pipeline, RealPostgres postgres, double rate, int seconds)
            throws Exception {
        List<long[]> visible = new ArrayList<>();
        pipeline.startRng(rate, 65536, 24);
        long warmUpEnd = System.currentTimeMillis() + 15_000;
        long end = warmUpEnd + seconds * 1000L;
        try (Connection listen = postgres.server().connect(RealPostgres.DATABASE);
             Connection query = postgres.server().connect(RealPostgres.DATABASE)) {
            listen.createStatement().execute("LISTEN " + Schema.NOTIFY_CHANNEL);
            PGConnection notifications = listen.unwrap(PGConnection.class);
            // Keep noting for a few seconds after the window, so the window's last blocks become visible too.
            while (System.currentTimeMillis() < end + 5_000) {
                PGNotification[] batch = notifications.getNotifications(1000);
                long now = System.currentTimeMillis();
                if (batch == null || batch.length == 0) {
                    continue;
                }
                try (ResultSet rows = query.createStatement().executeQuery(
                        "SELECT max(last_created_at) FROM hasher_totals")) {
                    rows.next();
                    visible.add(new long[] {now, rows.getTimestamp(1).getTime()});
                }
            }
        }
        pipeline.stopRng();
        List<Long> samples = new ArrayList<>();
        for (long created : pipeline.blockCreationTimes()) {
            if (created < warmUpEnd || created >= end) {
                continue;
            }
            visible.stream().filter(v -> v[1] >= created).findFirst().ifPresent(v -> samples.add(v[0] - created));
        }
        return samples;
    }

    /** Publishes a backlog of distinct rate windows while the sink is stopped, starts it, times the drain. */
    private static double drainRate(Pipeline pipeline, RealKafka kafka, RealPostgres postgres, int backlog)
            throws Exception {
        long before = pipeline.queryLong("SELECT count(*) FROM hash_rates");
        // Windows of the last hour or so, ending now: the sink refuses times far from their record's timestamp.
        long base = (System.currentTimeMillis() / 1000 - backlog / 64 - 1) * 1000;
        kafka.probe().send(Topics.RATES, IntStream.range(0, backlog).mapToObj(i -> RateWindow.of("bench-" + (i % 64),
                base + (i / 64) * 1000L, base + (i / 64) * 1000L + 1000, 65536, 0, 1, base)).toList(), RateWindow::hasher);
        pipeline.startSink();
        long first = 0;
        long target = before + backlog;
        long firstCount = 0;
        while (true) {
            long count = pipeline.queryLong("SELECT count(*) FROM hash_rates");
            long now = System.nanoTime();
            if (first == 0 && count > before) {
                first = now;
                firstCount = count;
            }
            if (count >= target) {
                return (count - firstCount) / ((now - first) / 1e9);
            }
            Thread.onSpinWait();
        }
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private SinkBench() {
    }
}
