package dev.kafkacoins.local;

import dev.kafkacoins.local.bench.BenchScenario;
import dev.kafkacoins.local.chaos.ChaosScenario;
import dev.kafkacoins.local.chaos.ChaosSchedule;
import dev.kafkacoins.local.stack.Catalog;
import dev.kafkacoins.local.stack.KafkaTools;
import dev.kafkacoins.local.supervisor.ControlClient;
import dev.kafkacoins.local.supervisor.Leftovers;
import dev.kafkacoins.local.supervisor.LogFollower;
import dev.kafkacoins.local.supervisor.Outcome;
import dev.kafkacoins.local.supervisor.Scenario;
import dev.kafkacoins.local.supervisor.StackRun;
import dev.kafkacoins.local.supervisor.StackState;
import dev.kafkacoins.local.supervisor.StackStatus;
import dev.kafkacoins.protocol.Topics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ./miner}: the whole miner on this machine. The shell script finds a JDK 21+ and builds, then runs this. */
@Command(name = "miner", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "KafkaCoins local stack",
        description = "Runs KafkaCoins on this machine: a KRaft Kafka broker, PostgreSQL and every service as "
                + "processes of their own, all on 127.0.0.1.",
        subcommands = {Miner.Up.class, Miner.Down.class, Miner.Status.class, Miner.Scale.class, Miner.Kill.class,
            Miner.Restart.class, Miner.Logs.class, Miner.Kafka.class, Miner.Chaos.class, Miner.Bench.class})
public final class Miner {

    static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    @Option(names = "--data-dir", paramLabel = "DIR", description = "where the stack keeps its state "
            + "(default: data/ in the repository, or $MINER_DATA)")
    Path dataDir;

    StackLayout layout() {
        Path home = Path.of(System.getProperty("miner.home", "."));
        Path data = dataDir != null ? dataDir
                : System.getenv("MINER_DATA") != null ? Path.of(System.getenv("MINER_DATA")) : home.resolve("data");
        return new StackLayout(home, data);
    }

    /** A fresh stack beside the user's, for a program that drives and judges it: data in data/{@code name}. */
    int runOwnStack(Scenario scenario) throws Exception {
        return StackRun.ownStack(layout(), scenario, OUT).run();
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new Miner());
        // Everything after the tool's name belongs to the tool: ./miner kafka topics --describe --topic miner.blocks
        cli.getSubcommands().get("kafka").setStopAtPositional(true).setUnmatchedOptionsArePositionalParams(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof MinerException) {
                commandLine.getErr().println("miner: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        int status;
        try {
            status = cli.execute(args);
        } catch (RuntimeException | Error e) {
            // A bug or an Error: still exit, since the supervisor's threads would keep this JVM (and, through
            // their parent watch, every process it started) alive; the exit runs the hook that stops them.
            e.printStackTrace();
            status = 2;
        }
        System.exit(status);
    }

    @Command(name = "up", description = "Starts the stack and supervises it until Ctrl-C or ./miner down.")
    static final class Up implements Callable<Integer> {

        @ParentCommand
        Miner miner;

        @Option(names = "--hashers", paramLabel = "N", description = "hasher processes (default: ${DEFAULT-VALUE})")
        int hashers = StackOptions.DEFAULT_HASHERS;

        @Option(names = "--partitions", paramLabel = "P", description = "partitions of miner.blocks, the most "
                + "hashers that can work at once (default: ${DEFAULT-VALUE}; grows an existing topic, never shrinks it)")
        int partitions = Topics.BLOCKS.partitions();

        @Option(names = "--nonces", paramLabel = "K", description = "nonces per block (default: rng.nonces of the rng service)")
        Integer nonces;

        @Option(names = "--difficulty", paramLabel = "D", description = "leading zero bits of a coin (default: rng.difficulty)")
        Integer difficulty;

        @Option(names = "--rate", paramLabel = "R|auto", description = "blocks per second, or auto: rng keeps the "
                + "hashers' lag bounded (default: ${DEFAULT-VALUE})")
        String rate = "auto";

        @Option(names = "--fresh", description = "delete the data directory first: empty wallet, new topics")
        boolean fresh;

        @Option(names = "--no-restart", description = "leave a process that exits or is killed dead until "
                + "./miner restart (default: start it again after 1 s, doubling to 30 s, as a kubelet does)")
        boolean noRestart;

        @Option(names = "--observe", description = "also run Prometheus (Debian's prometheus on the PATH) on "
                + "127.0.0.1:B+91, scraping every service and the broker (its metrics on B+94) with the project's "
                + "alert rules, and Zipkin on 127.0.0.1:B+95, where every service reports its traces (up to 10 "
                + "blocks a second traced); user miner, passwords in data/secrets")
        boolean observe;

        @Option(names = "--port-base", paramLabel = "B", description = "base of every port not set on its own "
                + "(default: ${DEFAULT-VALUE}: kafka B+92, postgres B+432, webui B+80, rng B+81, aggregator B+83, "
                + "sink B+84, control B+90, hasher-N B+100+N; with --observe prometheus B+91, kafka metrics B+94, "
                + "zipkin B+95)")
        int portBase = Ports.DEFAULT_BASE;

        @Option(names = "--kafka-port", paramLabel = "PORT", description = "the broker's port; its controller uses the next one")
        Integer kafkaPort;

        @Option(names = "--postgres-port", paramLabel = "PORT")
        Integer postgresPort;

        @Option(names = "--webui-port", paramLabel = "PORT")
        Integer webuiPort;

        @Override
        public Integer call() throws Exception {
            Ports ports = Ports.from(portBase, kafkaPort, postgresPort, webuiPort);
            StackOptions options = new StackOptions(hashers, partitions, nonces, difficulty,
                    StackOptions.parseRate(rate), ports, !noRestart, observe);
            String invoked = System.getProperty("miner.invoked-ms");
            Instant start = invoked != null ? Instant.ofEpochMilli(Long.parseLong(invoked))
                    : ProcessHandle.current().info().startInstant().orElse(Instant.now());
            return new StackRun(miner.layout(), options, fresh, start, OUT).run();
        }
    }

    @Command(name = "chaos", description = "Runs a fresh stack of its own with rng in rate mode and the faults users "
            + "cause: SIGKILLed hashers, broker, rng, aggregator, sink, dashboard and PostgreSQL server, a broker outage "
            + "longer than the clients' timeouts, a paused (zombie) hasher, a hasher under a fresh id, PostgreSQL "
            + "stopped, poison and hostile records; then drains and audits exactly-once. Last line: lost=0 "
            + "duplicated=0 dead_lettered=K/K sse_missing=0 ok. Exits 1 on any violation.")
    static final class Chaos implements Callable<Integer> {

        @ParentCommand
        Miner miner;

        @Option(names = "--seconds", description = "how long the faults go on (default: ${DEFAULT-VALUE})")
        int seconds = 120;

        @Option(names = "--hashers", description = "hasher processes (default: ${DEFAULT-VALUE})")
        int hashers = 3;

        @Option(names = "--rate", description = "blocks per second (default: ${DEFAULT-VALUE})")
        double rate = 20;

        @Option(names = "--nonces", description = "nonces per block (default: rng.nonces)")
        Integer nonces;

        @Option(names = "--poison", description = "poison records per topic (default: ${DEFAULT-VALUE})")
        int poison = 5;

        @Option(names = "--seed", description = "seed of the fault schedule (default: random, printed)")
        Long seed;

        @Option(names = "--port-base", description = "(default: ${DEFAULT-VALUE}, beside a running ./miner up)")
        int portBase = 26000;

        @Override
        public Integer call() throws Exception {
            StackOptions.requireBetween("--seconds", seconds, (int) ChaosSchedule.SHORTEST.toSeconds(), 3600);
            StackOptions.requireBetween("--poison", poison, 0, 1000);
            long schedule = seed != null ? seed : new java.security.SecureRandom().nextLong();
            StackOptions options = new StackOptions(hashers, Topics.BLOCKS.partitions(), nonces, null, rate,
                    Ports.from(portBase, null, null, null));
            OUT.println("chaos: " + seconds + " s of faults, " + hashers + " hashers, " + rate
                    + " blocks/s, seed " + schedule + " (--seed " + schedule + " repeats the schedule)");
            return miner.runOwnStack(new ChaosScenario(options, Duration.ofSeconds(seconds), poison, schedule, OUT));
        }
    }

    @Command(name = "bench", description = "Runs a fresh stack of its own headless and measures it against the "
            + "machine's limits: hash_efficiency, messaging_efficiency, latency p50/p99, 1-vs-N hasher scaling. "
            + "Prints a JSON summary and a last line with the key figures.")
    static final class Bench implements Callable<Integer> {

        @ParentCommand
        Miner miner;

        @Option(names = "--seconds", description = "measured seconds per phase, after 15 s of warm-up "
                + "(default: ${DEFAULT-VALUE})")
        int seconds = 60;

        @Option(names = "--port-base", description = "(default: ${DEFAULT-VALUE}, beside a running ./miner up)")
        int portBase = 27000;

        @Option(names = "--observe", description = "run the stack with Prometheus and Zipkin, as up --observe "
                + "does, and measure what observing costs the hash rate (observe_overhead), split into scrapes and "
                + "traces: eight more windows")
        boolean observe;

        @Override
        public Integer call() throws Exception {
            StackOptions.requireBetween("--seconds", seconds, 5, 3600);
            int cores = Runtime.getRuntime().availableProcessors();
            StackOptions options = new StackOptions(Math.min(cores, Ports.MAX_HASHERS), Topics.BLOCKS.partitions(),
                    null, null, null, Ports.from(portBase, null, null, null), true, observe);
            return miner.runOwnStack(new BenchScenario(options, Duration.ofSeconds(seconds), OUT));
        }
    }

    @Command(name = "down", description = "Stops the running stack; the data stays for the next up.")
    static final class Down implements Callable<Integer> {

        @ParentCommand
        Miner miner;

        @Override
        public Integer call() throws Exception {
            StackLayout layout = miner.layout();
            var state = StackState.read(layout);
            if (state.isPresent()) {
                OUT.println("stopping the stack (supervisor pid " + state.get().pid() + ")…");
                new ControlClient(state.get()).post("/down", null, null);
                ProcessHandle.of(state.get().pid()).ifPresent(p -> {
                    try {
                        p.onExit().get(3, TimeUnit.MINUTES);
                    } catch (Exception e) {
                        throw new MinerException("the supervisor (pid " + p.pid() + ") did not stop within 3 minutes");
                    }
                });
            }
            List<ProcessHandle> leftovers = Leftovers.find(layout);
            if (!leftovers.isEmpty()) {
                OUT.println("ending " + leftovers.size() + " leftover process(es) of this stack: "
                        + leftovers.stream().map(ProcessHandle::pid).toList());
                Leftovers.end(leftovers, Duration.ofSeconds(20));
            } else if (state.isEmpty()) {
                OUT.println("no stack is running from " + layout.data());
                return 0;
            }
            OUT.println("stopped; data kept in " + layout.data());
            return 0;
        }
    }

    @Command(name = "status", description = "Processes, health, memory, the current rate and the hasher group's lag.")
    static final class Status implements Callable<Integer> {

        @ParentCommand
        Miner miner;

        @Option(names = "--json", description = "print the status as JSON")
        boolean json;

        @Override
        public Integer call() {
            String body = new ControlClient(StackState.require(miner.layout())).get("/status");
            if (json) {
                OUT.println(body);
            } else {
                OUT.print(tools.jackson.databind.json.JsonMapper.builder().build()
                        .readValue(body, StackStatus.class).render());
            }
            return 0;
        }
    }

    @Command(name = "scale", description = "Adds or removes hasher processes: ./miner scale hasher=3")
    static final class Scale implements Callable<Integer> {

        @ParentCommand
        Miner miner;

        @Parameters(paramLabel = "hasher=N")
        String target;

        @Override
        public Integer call() {
            if (!target.matches("hashers?=\\d{1,3}")) {
                throw new MinerException("scale takes hasher=N (the only service that scales here), got '"
                        + target + "'");
            }
            String count = target.substring(target.indexOf('=') + 1);
            OUT.println(OutcomeText.of(new ControlClient(StackState.require(miner.layout()))
                    .post("/scale", "hasher", count, Outcome.Scaled.class)));
            return 0;
        }
    }

    /** kill and restart: one named process, acted on by the running supervisor. */
    abstract static class ProcessCommand implements Callable<Integer> {

        @ParentCommand
        Miner miner;

        @Parameters(paramLabel = "SERVICE", description = "hasher-N, rng, aggregator, sink, webui, kafka, postgres, "
                + "prometheus (with --observe; kill also takes 'hasher': one at random)")
        String service;

        abstract String path();

        abstract Class<? extends Outcome> outcome();

        @Override
        public Integer call() {
            OUT.println(OutcomeText.of(new ControlClient(StackState.require(miner.layout()))
                    .post(path(), "service", service, outcome())));
            return 0;
        }
    }

    @Command(name = "kill", description = "SIGKILLs a process, as a crash would ('hasher' picks one hasher at random; "
            + "'postgres' kills the server too); the supervisor restarts it as it restarts a crash.")
    static final class Kill extends ProcessCommand {

        @Override
        String path() {
            return "/kill";
        }

        @Override
        Class<Outcome.Killed> outcome() {
            return Outcome.Killed.class;
        }
    }

    @Command(name = "restart", description = "Starts a process again after a kill or a crash.")
    static final class Restart extends ProcessCommand {

        @Override
        String path() {
            return "/restart";
        }

        @Override
        Class<Outcome.Restarted> outcome() {
            return Outcome.Restarted.class;
        }
    }

    @Command(name = "logs", description = "Shows a service's log and follows it (Ctrl-C to stop following).")
    static final class Logs implements Callable<Integer> {

        @ParentCommand
        Miner miner;

        @Parameters(paramLabel = "SERVICE", description = "kafka, postgres, db-migrations, rng, hasher-N, aggregator, "
                + "sink, webui")
        String service;

        @Option(names = {"-n", "--lines"}, description = "lines to show first (default: ${DEFAULT-VALUE})")
        int lines = 40;

        @Option(names = "--no-follow", description = "print and exit")
        boolean noFollow;

        @Override
        public Integer call() throws Exception {
            return LogFollower.show(miner.layout(), service, lines, !noFollow, OUT);
        }
    }

    @Command(name = "kafka", description = "Runs one of Kafka's own tools against the local broker: topics, "
            + "consumer-groups, console-consumer, console-producer, get-offsets, transactions, producer-perf-test, "
            + "consumer-perf-test, metadata-quorum, log-dirs, configs.")
    static final class Kafka implements Callable<Integer> {

        @ParentCommand
        Miner miner;

        @Parameters(index = "0", paramLabel = "TOOL")
        String tool;

        @Parameters(index = "1..*", paramLabel = "ARGS", description = "the tool's own arguments")
        List<String> args = List.of();

        @Override
        public Integer call() throws Exception {
            StackLayout layout = miner.layout();
            KafkaTools.run(tool, args, () -> StackState.require(layout).bootstrapServers(),
                    Catalog.kafkaAdminProperties(layout));
            return 0;
        }
    }
}
