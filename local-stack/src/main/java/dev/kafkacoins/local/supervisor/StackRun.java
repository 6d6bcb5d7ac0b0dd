package dev.kafkacoins.local.supervisor;

import dev.kafkacoins.local.DataDirectory;
import dev.kafkacoins.local.MinerException;
import dev.kafkacoins.local.Ports;
import dev.kafkacoins.local.Secrets;
import dev.kafkacoins.local.StackLayout;
import dev.kafkacoins.local.StackOptions;
import dev.kafkacoins.local.observe.Prometheus;
import dev.kafkacoins.local.observe.Zipkin;
import dev.kafkacoins.local.stack.Catalog;
import dev.kafkacoins.local.stack.KafkaUsers;
import dev.kafkacoins.local.stack.Probes;
import dev.kafkacoins.local.stack.ServiceSpec;
import dev.kafkacoins.local.stack.StackTopics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./miner up}: brings the stack up in dependency order, reports each step, then supervises until Ctrl-C
 * or {@code ./miner down}. A {@link Scenario} runs on a stack brought up the same way, of its own.
 */
public final class StackRun {

    private static final Duration INFRA_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration SERVICE_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration FIRST_COIN_TIMEOUT = Duration.ofMinutes(5);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final StackLayout layout;
    private final StackOptions options;
    private final boolean fresh;
    private final Instant invoked;
    private final PrintStream out;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** What drives the stack once it is up; null for {@code up}, which the user drives. */
    private final Scenario scenario;
    /** Whether the user runs it ({@code up}), rather than a program. */
    private final boolean supervised;

    /** {@code ./miner up}: supervise until Ctrl-C or {@code ./miner down}. */
    public StackRun(StackLayout layout, StackOptions options, boolean fresh, Instant invoked, PrintStream out) {
        this(layout, options, fresh, invoked, out, null);
    }

    private StackRun(StackLayout layout, StackOptions options, boolean fresh, Instant invoked, PrintStream out,
                     Scenario scenario) {
        this.layout = layout;
        this.options = options;
        this.fresh = fresh;
        this.invoked = invoked;
        this.out = out;
        this.scenario = scenario;
        this.supervised = scenario == null;
    }

    /** A scenario on a fresh stack beside the user's: data in {@code data/<name>}, its own options and ports. */
    public static StackRun ownStack(StackLayout user, Scenario scenario, PrintStream out) {
        StackLayout own = new StackLayout(user.home(), user.data().resolve(scenario.name()));
        return new StackRun(own, scenario.options(), true, Instant.now(), out, scenario);
    }

    private int superviseUntilStopped(Supervisor supervisor, Catalog catalog, Probes probes) throws Exception {
        announceFirstCoin(supervisor, probes, catalog.ports().webui());
        stopped.await();
        return 0;
    }

    /** The scenario's verdict: every figure as JSON, then its last line; 1 unless it is ok. */
    private int judge(Scenario.Verdict verdict) {
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(verdict.summary()));
        out.println(verdict.line());
        return verdict.ok() ? 0 : 1;
    }

    /** Runs until the stack is stopped; returns the exit status for the command. */
    public int run() throws Exception {
        if (options.observe()) {
            Prometheus.requireBinary();
            new Zipkin(layout, options.ports()).requireJars();
        }
        DataDirectory.claim(layout);
        try (StackLock lock = StackLock.acquire(layout)) {
            List<ProcessHandle> leftovers = Leftovers.find(layout);
            if (!leftovers.isEmpty()) {
                throw new MinerException(leftovers.size() + " process(es) of an earlier stack on " + layout.data()
                        + " are still running (pids " + leftovers.stream().map(p -> Long.toString(p.pid())).toList()
                        + "): ./miner down ends them");
            }
            if (fresh) {
                wipeData();
            }
            Ports.requireFree(options.portUses());
            Catalog catalog = new Catalog(layout, options);
            // Fail before starting anything when a jar is missing.
            Catalog.MODULES.forEach(layout::runnableJar);
            catalog.prometheus().ifPresent(prometheus -> prometheus.prepare(catalog.secrets()));
            try (Probes probes = new Probes(catalog)) {
                Supervisor supervisor = new Supervisor(catalog, layout, probes, out, options.restart(),
                        java.time.Clock.systemUTC());
                catalog.prometheus().ifPresent(prometheus -> supervisor.onChildrenChanged(
                        children -> prometheus.writeTargets(ScrapeTargets.of(children))));
                Instant started = Instant.now();
                String token = HexFormat.of().formatHex(randomBytes());
                ControlServer control = new ControlServer(options.ports().control(), token, supervisor,
                        new StatusCollector(supervisor, probes, layout, started), () -> stop(supervisor));
                control.start();
                new StackState(ProcessHandle.current().pid(), options.ports().control(), token,
                        catalog.dashboardUrl(), catalog.bootstrapServers(), catalog.jdbcUrl(), started)
                        .write(layout.stateFile());
                Thread hook = new Thread(() -> stop(supervisor), "miner-stop");
                Runtime.getRuntime().addShutdownHook(hook);
                int status;
                try {
                    bringUp(supervisor, catalog, probes);
                    status = supervised ? superviseUntilStopped(supervisor, catalog, probes)
                            : judge(scenario.run(new RunningStack(supervisor, catalog, probes)));
                } catch (MinerException e) {
                    if (!supervisor.isShuttingDown()) {
                        out.println("✖ " + e.getMessage());
                        out.println("stopping what was started…");
                    }
                    status = 1;
                } finally {
                    // Whatever ended the run (a bug, an OutOfMemoryError in a scenario), the processes it started
                    // must not go on saturating the machine.
                    stop(supervisor);
                    control.close();
                }
                return status;
            }
        }
    }

    private void bringUp(Supervisor supervisor, Catalog catalog, Probes probes) throws Exception {
        Ports ports = options.ports();
        out.printf("KafkaCoins local stack · data in %s%n", layout.data());
        step("starting kafka (KRaft, 127.0.0.1:%d) and postgres (127.0.0.1:%d)", ports.kafka(), ports.postgres());
        Child kafka = supervisor.start(catalog.kafka());
        Child postgres = supervisor.start(catalog.postgres());
        Child prometheus = null;
        if (catalog.prometheus().isPresent()) {
            step("starting prometheus (127.0.0.1:%d) scraping the stack, broker metrics on 127.0.0.1:%d",
                    ports.prometheus(), ports.kafkaMetrics());
            prometheus = supervisor.start(catalog.prometheusServer());
        }
        Child zipkin = null;
        if (catalog.zipkin().isPresent()) {
            step("starting zipkin (127.0.0.1:%d), where the services report their traces", ports.zipkin());
            zipkin = supervisor.start(catalog.zipkinServer());
        }
        catalog.appCache().refresh(Catalog.MODULES);
        awaitReady(supervisor, postgres, INFRA_TIMEOUT);
        step("migrating the schema");
        Child migrations = supervisor.start(catalog.migrations());
        awaitReady(supervisor, kafka, INFRA_TIMEOUT);
        KafkaUsers.ensure(probes.admin(), catalog.secrets());
        step("  SCRAM users %s with the ACLs of strimzi/base", KafkaUsers.SERVICES);
        for (String line : StackTopics.ensure(probes.admin(), options.partitions())) {
            step("  %s", line);
        }
        step("starting rng, %d hasher(s) and the aggregator", options.hashers());
        List<Child> services = new ArrayList<>();
        services.add(supervisor.start(catalog.rng()));
        for (int i = 1; i <= options.hashers(); i++) {
            services.add(supervisor.start(catalog.hasher(i)));
        }
        services.add(supervisor.start(catalog.aggregator()));
        awaitReady(supervisor, migrations, INFRA_TIMEOUT);
        step("starting the sink and the webui");
        services.add(supervisor.start(catalog.sink()));
        services.add(supervisor.start(catalog.webui()));
        for (Child service : services) {
            awaitReady(supervisor, service, SERVICE_TIMEOUT);
        }
        if (prometheus != null) {
            awaitReady(supervisor, prometheus, INFRA_TIMEOUT);
        }
        if (zipkin != null) {
            awaitReady(supervisor, zipkin, INFRA_TIMEOUT);
        }
        out.printf("%nall up in %.1f s. Dashboard: %s%n", seconds(), catalog.dashboardUrl());
        catalog.prometheus().ifPresent(p -> out.printf("Prometheus: %s (user %s, password %s in %s)%n", p.url(),
                Prometheus.USER, Prometheus.SECRET, shown(Secrets.file(layout))));
        catalog.zipkin().ifPresent(z -> out.printf("Zipkin: %szipkin/ (user %s, password %s in %s)%n", z.url(),
                Zipkin.USER, Zipkin.SECRET, shown(Secrets.file(layout))));
        if (!supervised) {
            return;
        }
        out.println("  ./miner status · ./miner scale hasher=N · ./miner kill hasher · ./miner logs <service> · "
                + "./miner kafka topics --list");
        out.println("  Ctrl-C here, or ./miner down, stops everything.");
        out.println();
    }

    /**
     * Waits until the dashboard's API shows a coin found since {@code ./miner up} (older coins of a kept wallet do
     * not count), and says how long it took.
     */
    private void announceFirstCoin(Supervisor supervisor, Probes probes, int webuiPort) throws InterruptedException {
        Instant deadline = Instant.now().plus(FIRST_COIN_TIMEOUT);
        while (!supervisor.isShuttingDown() && Instant.now().isBefore(deadline)) {
            JsonNode newest = probes.get(webuiPort, "/api/coins?size=1");
            if (newest != null && newest.path("items").size() > 0
                    && newest.path("items").get(0).path("foundAt").asLong() >= invoked.toEpochMilli()) {
                out.printf("first coin on the dashboard %.1f s after ./miner up%n", seconds());
                return;
            }
            Thread.sleep(250);
        }
    }

    private void awaitReady(Supervisor supervisor, Child child, Duration timeout) {
        supervisor.awaitReady(child, timeout);
        String where = child.spec().port() == 0 ? "" : " on 127.0.0.1:" + child.spec().port();
        step("  ✔ %-12s %s (pid %d)%s", child.name(), child.spec().readiness() == ServiceSpec.Readiness.EXIT_ZERO
                ? "done" : "ready", child.pid(), where);
    }

    /** A path as the user's commands would name it: relative to the repository when it is inside it. */
    private Path shown(Path path) {
        return path.startsWith(layout.home()) ? layout.home().relativize(path) : path;
    }

    private void step(String format, Object... args) {
        out.printf(Locale.ROOT, "[%5.1f s] " + format + "%n", Stream.concat(Stream.of(seconds()), Stream.of(args))
                .toArray());
    }

    private double seconds() {
        return Duration.between(invoked, Instant.now()).toMillis() / 1000.0;
    }

    private synchronized void stop(Supervisor supervisor) {
        if (!supervisor.isShuttingDown()) {
            out.println("stopping the stack…");
            supervisor.shutdown();
            try {
                Files.deleteIfExists(layout.stateFile());
            } catch (IOException e) {
                out.println("could not delete " + layout.stateFile() + ": " + e.getMessage());
            }
            out.println("stopped; data kept in " + layout.data() + " (./miner up --fresh starts over)");
        }
        stopped.countDown();
    }

    private void wipeData() throws IOException {
        if (!Files.isDirectory(layout.data())) {
            return;
        }
        try (Stream<Path> files = Files.walk(layout.data())) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                // Keeps the lock it holds, and the start-up caches: they derive from the jars, not from the state.
                if (!path.equals(layout.data()) && !path.equals(layout.run()) && !path.equals(layout.lockFile())
                        && !path.startsWith(layout.appCache()) && !path.equals(DataDirectory.marker(layout))) {
                    Files.delete(path);
                }
            }
        }
        out.println("--fresh: emptied " + layout.data() + " (start-up caches kept)");
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
