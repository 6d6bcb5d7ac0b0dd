package dev.kafkacoins.local.chaos;

import dev.kafkacoins.local.MinerException;
import dev.kafkacoins.local.OutcomeText;
import dev.kafkacoins.local.StackOptions;
import dev.kafkacoins.local.chaos.ChaosSchedule.Fault;
import dev.kafkacoins.local.stack.Catalog;
import dev.kafkacoins.local.stack.Probes;
import dev.kafkacoins.local.stack.ServiceSpec;
import dev.kafkacoins.local.supervisor.Child;
import dev.kafkacoins.local.supervisor.RunningStack;
import dev.kafkacoins.local.supervisor.Scenario;
import dev.kafkacoins.local.supervisor.Supervisor;
import java.io.PrintStream;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code ./miner chaos}: the faults users cause, on a running miner, then the exactly-once audit. The schedule
 * ({@link ChaosSchedule}, repeatable with {@code --seed}) SIGKILLs hashers all along, and once each: the broker
 * for longer than the clients' timeouts, rng, the aggregator, the sink, the dashboard under viewers that must
 * resume without a gap, a hasher paused past its session timeout (a zombie to be fenced), a hasher replaced
 * under a fresh instance id (its open transaction must be aborted by the coordinator), PostgreSQL stopped and
 * PostgreSQL's server crashed; poison and hostile records go to every input topic.
 * <p>
 * Nothing is restarted by hand but the broker at the end of its outage: the supervisor brings every killed
 * process back, as a Deployment would. Then rng stops, the pipeline drains, every process must be healthy, and
 * {@link ExactlyOnceAudit} and the viewers give the verdict.
 */
public final class ChaosScenario implements Scenario {

    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(3);
    private static final int VIEWERS = 3;

    private final StackOptions options;
    private final Duration length;
    private final int poisonPerTopic;
    private final long seed;
    private final int hashers;
    private final Random random;
    private final PrintStream out;
    private final Instant start = Instant.now();
    /** Hashers a held fault is working on; the periodic kills leave them alone. */
    private final Set<Integer> busyHashers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger freshIds = new AtomicInteger();
    private final Map<String, Object> measured = new ConcurrentHashMap<>();
    private volatile Future<?> pendingHold;
    /** One-off faults that could not be done: a verdict without them proves less than it says. */
    private final List<String> skipped = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger webuiKills = new AtomicInteger();
    private volatile Resumption.Outcome resumption;
    /** While true, the survivors of the broker outage are being judged: no kill may hide a dead loop. */
    private volatile boolean resuming;
    private volatile SseWatchers viewers;
    /** Every survivor of the broker outage must work again within this of its return, with no restart. */
    private static final Duration RESUME_BOUND = Duration.ofMinutes(1);
    private static final Duration HASHER_READY_BOUND = Duration.ofMinutes(2);

    public ChaosScenario(StackOptions options, Duration length, int poisonPerTopic, long seed, PrintStream out) {
        this.options = options;
        this.length = length;
        this.poisonPerTopic = poisonPerTopic;
        this.seed = seed;
        this.hashers = options.hashers();
        this.random = new Random(seed);
        this.out = out;
    }

    @Override
    public String name() {
        return "chaos";
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
        List<Fault> schedule = ChaosSchedule.of(seed, length, hashers);
        out.println("chaos schedule (seed " + seed + "):");
        schedule.forEach(f -> out.println("  " + f.describe()));
        InjectedRecords injected = new InjectedRecords(random);
        ExecutorService held = Executors.newVirtualThreadPerTaskExecutor();
        try (SseWatchers viewers = new SseWatchers(catalog.ports().webui(), VIEWERS)) {
            this.viewers = viewers;
            try (KafkaProducer<byte[], byte[]> producer = producer(catalog)) {
                Instant t0 = Instant.now();
                for (Fault fault : schedule) {
                    sleepUntil(t0.plus(fault.at()));
                    if (fault.kind() != ChaosSchedule.Kind.KILL_HASHER) {
                        // One held fault at a time: PostgreSQL crashed while it is still coming back from a stop
                        // would test nothing. The hasher kills go on meanwhile.
                        awaitHeld();
                    }
                    execute(fault, supervisor, catalog, probes, producer, injected, held);
                }
                sleepUntil(t0.plus(length));
            }
            held.shutdown();
            if (!held.awaitTermination(3, TimeUnit.MINUTES)) {
                throw new MinerException("the held faults did not end within 3 minutes");
            }
            log("faults over; waiting for every process to be back and healthy");
            Instant recovering = Instant.now();
            List<String> unhealthy = awaitHealthy(supervisor, probes);
            measured.put("all_healthy_after_faults_s", seconds(recovering));
            log("stopping rng and draining");
            stack.stopRngAndDrain(DRAIN_TIMEOUT, () -> "UP".equals(probes.health(catalog.sink())));
            log("drained");
            ExactlyOnceAudit.Result audit = new ExactlyOnceAudit(catalog, probes).run(injected);
            SseWatchers.Report seen;
            try (Connection db = catalog.openDatabase()) {
                seen = viewers.report(db);
            }
            return verdict(audit, seen, unhealthy, supervisor);
        }
    }

    private void execute(Fault fault, Supervisor supervisor, Catalog catalog, Probes probes,
                         KafkaProducer<byte[], byte[]> producer, InjectedRecords injected, ExecutorService held) {
        String hasher = Catalog.HASHER_PREFIX + fault.hasher();
        try {
            switch (fault.kind()) {
                case BROKER_OUTAGE -> {
                    Instant down = Instant.now();
                    log(OutcomeText.of(supervisor.killAndHold(Catalog.KAFKA)) + "; down for "
                            + fault.hold().toSeconds() + " s");
                    hold(held, () -> {
                        pause(fault.hold());
                        log(OutcomeText.of(supervisor.restart(Catalog.KAFKA)));
                        judgeResumption(supervisor, probes, down);
                    });
                }
                case KILL_HASHER -> {
                    if (resuming) {
                        log("not killing " + hasher + ": the survivors of the broker outage are being judged");
                    } else if (busyHashers.contains(fault.hasher())) {
                        log("not killing " + hasher + ": another fault holds it");
                    } else if (supervisor.readyHashers().size() < 2) {
                        log("not killing " + hasher + ": fewer than two hashers are ready");
                    } else {
                        log(OutcomeText.of(supervisor.kill(hasher)));
                    }
                }
                case PAUSE_HASHER -> {
                    busyHashers.add(fault.hasher());
                    InsideTransaction.Caught caught = insideTransaction(supervisor, hasher, catalog, probes,
                            InsideTransaction.Shape.NOTHING_SENT);
                    measured.put("paused_hasher", hasher + " " + caught.describe());
                    log(OutcomeText.of(supervisor.signal(hasher, "STOP")) + " for " + fault.hold().toSeconds()
                            + " s, past its session timeout, " + caught.describe());
                    hold(held, () -> {
                        pause(fault.hold());
                        log(OutcomeText.of(supervisor.signal(hasher, "CONT")) + ": a zombie now, to be fenced");
                        busyHashers.remove(fault.hasher());
                    });
                }
                case FRESH_HASHER -> {
                    busyHashers.add(fault.hasher());
                    InsideTransaction.Caught caught = insideTransaction(supervisor, hasher, catalog, probes,
                            InsideTransaction.Shape.REPORT_SENT);
                    measured.put("replaced_hasher", hasher + " " + caught.describe());
                    String id = "h" + fault.hasher() + "-r" + freshIds.incrementAndGet();
                    log(OutcomeText.of(supervisor.killAndHold(hasher)) + " " + caught.describe() + "; back as instance "
                            + id + " (its open transaction is the coordinator's to abort)");
                    hold(held, () -> {
                        log(OutcomeText.of(supervisor.replace(catalog.hasher(fault.hasher(), id))));
                        busyHashers.remove(fault.hasher());
                    });
                }
                case KILL_RNG -> log(OutcomeText.of(supervisor.kill(Catalog.RNG)));
                case KILL_AGGREGATOR -> log(OutcomeText.of(supervisor.kill(Catalog.AGGREGATOR)));
                case KILL_SINK -> log(OutcomeText.of(supervisor.kill(Catalog.SINK)));
                case KILL_WEBUI -> {
                    log(OutcomeText.of(supervisor.kill(Catalog.WEBUI)) + " under " + VIEWERS + " SSE viewers");
                    webuiKills.incrementAndGet();
                }
                case CRASH_POSTGRES -> log(OutcomeText.of(supervisor.kill(Catalog.POSTGRES))
                        + " (crash recovery on its restart)");
                case STOP_POSTGRES -> {
                    log(OutcomeText.of(supervisor.stop(Catalog.POSTGRES)) + " (unreachable for "
                            + fault.hold().toSeconds() + " s)");
                    hold(held, () -> {
                        pause(fault.hold());
                        log(OutcomeText.of(supervisor.restart(Catalog.POSTGRES)));
                    });
                }
                case POISON -> {
                    injected.sendPoison(producer, Math.max(1, poisonPerTopic / 2));
                    log("sent poison records to every input topic (" + injected.poisonCount() + " per topic so far)");
                }
                case HOSTILE -> {
                    injected.sendHostile(producer, 3);
                    log("sent hostile records (out-of-range timestamps, NUL and escape characters in ids) to "
                            + "every input topic");
                }
            }
        } catch (MinerException e) {
            log(fault.kind().name().toLowerCase() + " skipped: " + e.getMessage());
            busyHashers.remove(fault.hasher());
            if (fault.kind() != ChaosSchedule.Kind.KILL_HASHER) {
                skipped.add(fault.kind().name().toLowerCase());
            }
        }
    }

    /** Waits for the hasher, then until it is inside an open transaction of that shape, for the fault to hit. */
    private InsideTransaction.Caught insideTransaction(Supervisor supervisor, String hasher, Catalog catalog,
                                                       Probes probes, InsideTransaction.Shape shape) {
        awaitReady(supervisor, hasher);
        String clientPrefix = supervisor.children().stream().filter(c -> c.name().equals(hasher)).findFirst()
                .orElseThrow(() -> new MinerException(hasher + " is not in the stack")).spec().hasherClientPrefix();
        return new InsideTransaction(probes.admin(), catalog.kafkaAdmin(), random).enter(clientPrefix, shape);
    }

    /**
     * The seed names the hasher; if the periodic kills just hit it, the fault waits for its restart rather than
     * picking another, so that {@code --seed} repeats which hasher is paused or replaced. The bound covers a
     * restart back-off of up to 30 s plus a Spring start that takes over a minute on a loaded 2-core machine.
     */
    private static void awaitReady(Supervisor supervisor, String hasher) {
        Instant deadline = Instant.now().plus(HASHER_READY_BOUND);
        while (supervisor.readyHashers().stream().noneMatch(c -> c.name().equals(hasher))) {
            if (Instant.now().isAfter(deadline)) {
                throw new MinerException(hasher + " was not ready within " + HASHER_READY_BOUND.toSeconds() + " s");
            }
            pause(Duration.ofMillis(250));
        }
    }

    /** Runs the end of a held fault (a restart, a SIGCONT) beside the schedule; the next one-off fault waits for it. */
    private void hold(ExecutorService held, Runnable end) {
        Future<?> previous = pendingHold;
        pendingHold = held.submit(() -> {
            try {
                end.run();
            } catch (MinerException e) {
                log("ending a held fault failed: " + e.getMessage());
            }
        });
        if (previous != null && !previous.isDone()) {
            log("a held fault is still ending: the schedule runs behind");
        }
    }

    private void awaitHeld() throws InterruptedException {
        Future<?> pending = pendingHold;
        if (pending == null) {
            return;
        }
        try {
            pending.get(3, TimeUnit.MINUTES);
        } catch (ExecutionException | TimeoutException e) {
            throw new MinerException("a held fault did not end within 3 minutes: " + e);
        }
    }

    /**
     * After the broker's return, every process that lived through the outage must work again by itself (see
     * {@link Resumption}); the periodic hasher kills and the next one-off fault wait for the judgement.
     */
    private void judgeResumption(Supervisor supervisor, Probes probes, Instant down) {
        Instant back = Instant.now();
        resuming = true;
        try {
            SseWatchers watching = viewers;
            Resumption.Outcome outcome = new Resumption(supervisor, probes.admin(),
                    () -> watching == null ? 0 : watching.events()).await(down, back, RESUME_BOUND);
            resumption = outcome;
            measured.put("hashing_resumed_after_broker_s",
                    outcome.hashing() == null ? "never" : seconds(outcome.hashing()));
            Map<String, String> each = new LinkedHashMap<>();
            outcome.resumed().forEach((name, after) -> each.put(name, seconds(after)));
            measured.put("resumed_after_broker_s", each);
            measured.put("not_resumed_after_broker", outcome.notResumed());
            log(outcome.notResumed().isEmpty()
                    ? "every process that lived through the outage works again: " + each
                    : "did not work again within " + RESUME_BOUND.toSeconds() + " s of the broker's return: "
                            + outcome.notResumed());
        } finally {
            resuming = false;
        }
    }

    /** Every process alive, ready and reporting UP; the names of those that are not when the bound runs out. */
    private List<String> awaitHealthy(Supervisor supervisor, Probes probes) {
        Instant deadline = Instant.now().plus(RECOVERY_TIMEOUT);
        List<String> unhealthy;
        do {
            unhealthy = new ArrayList<>();
            for (Child child : supervisor.children()) {
                if (child.spec().readiness() == ServiceSpec.Readiness.EXIT_ZERO) {
                    continue;
                }
                String health = child.isAlive() ? probes.health(child.spec()) : "not running";
                if (!"UP".equals(health)) {
                    unhealthy.add(child.name() + ":" + health);
                }
            }
            if (unhealthy.isEmpty()) {
                return unhealthy;
            }
            pause(Duration.ofSeconds(1));
        } while (Instant.now().isBefore(deadline));
        return unhealthy;
    }

    private Verdict verdict(ExactlyOnceAudit.Result audit, SseWatchers.Report seen, List<String> unhealthy,
                        Supervisor supervisor) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("seconds", length.toSeconds());
        summary.put("seed", seed);
        summary.putAll(audit.summary());
        summary.putAll(measured);
        summary.put("restarts", supervisor.restartCounts());
        summary.put("sse_viewers", seen.viewers());
        summary.put("sse_reconnects", seen.reconnects());
        summary.put("sse_events", seen.events());
        summary.put("sse_points_expected", seen.pointsExpected());
        summary.put("sse_points_missing", seen.pointsMissing());
        summary.put("sse_points_missing_examples", seen.missingExamples());
        summary.put("unhealthy_at_end", unhealthy);
        summary.put("faults_not_done", skipped);

        List<String> problems = new ArrayList<>(audit.problems());
        if (!seen.ok()) {
            problems.add("sse_points_missing=" + seen.pointsMissing() + "/" + seen.pointsExpected()
                    + " (events " + seen.events() + ")");
        }
        if (!unhealthy.isEmpty()) {
            problems.add("unhealthy=" + unhealthy);
        }
        Resumption.Outcome outcome = resumption;
        if (outcome == null || outcome.hashing() == null) {
            problems.add("hashing_resumed_after_broker=never (bound " + RESUME_BOUND.toSeconds() + " s)");
        } else if (!outcome.notResumed().isEmpty()) {
            problems.add("not_resumed_after_broker=" + outcome.notResumed());
        }
        if (webuiKills.get() > 0 && seen.reconnects() == 0) {
            problems.add("sse_reconnects=0 after " + webuiKills.get() + " dashboard kill(s)");
        }
        if (!skipped.isEmpty()) {
            problems.add("faults_not_done=" + skipped);
        }
        boolean ok = problems.isEmpty();
        return new Verdict(summary, "lost=" + audit.lost() + " duplicated=" + audit.duplicated() + " dead_lettered="
                + audit.routed() + "/" + audit.injected() + " sse_missing=" + seen.pointsMissing()
                + (ok ? " ok" : " FAILED " + String.join(" ", problems)), ok);
    }

    private static KafkaProducer<byte[], byte[]> producer(Catalog catalog) {
        Map<String, Object> config = new HashMap<>(catalog.kafkaAdmin());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "miner-chaos");
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static String seconds(Instant since) {
        return seconds(Duration.between(since, Instant.now()));
    }

    private static String seconds(Duration duration) {
        return String.format("%.1f", duration.toMillis() / 1000.0);
    }

    private void log(String message) {
        out.printf("[chaos %5.1f s] %s%n", Duration.between(start, Instant.now()).toMillis() / 1000.0, message);
    }

    private static void sleepUntil(Instant when) throws InterruptedException {
        Duration left = Duration.between(Instant.now(), when);
        if (left.isPositive()) {
            Thread.sleep(left); // the schedule's clock, not a wait for a condition
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration); // a fault's hold, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MinerException("interrupted");
        }
    }
}
