package dev.kafkacoins.local.supervisor;

import dev.kafkacoins.local.MinerException;
import dev.kafkacoins.local.Ports;
import dev.kafkacoins.local.StackOptions;
import dev.kafkacoins.local.StackLayout;
import dev.kafkacoins.local.stack.Catalog;
import dev.kafkacoins.local.stack.Probes;
import dev.kafkacoins.local.stack.ServiceSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Starts, watches, stops and kills the stack's processes. Written by hand: no maintained Java library supervises
 * a handful of local JVMs this way (the JDK's {@link ProcessBuilder} and {@link ProcessHandle} do the work).
 * <p>
 * A process that dies unasked is named with the tail of its log and started again after a growing back-off
 * ({@link RestartBackoff}), as a kubelet restarts a Deployment's container; {@code ./miner kill} is such a death
 * too. Only {@code stop}, {@code scale} and {@code down} end a process for good. Without restarts
 * ({@code --no-restart}) a dead process stays dead until {@code ./miner restart}.
 */
public final class Supervisor {

    /** A Spring service gets this long to finish its graceful shutdown before SIGKILL. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);
    /** How long a restarted process may take to be ready again (as long as {@code up} gives it the first time). */
    private static final Duration RESTART_READY_TIMEOUT = Duration.ofSeconds(180);
    private static final Optional<Path> SETSID = Optional.of(Path.of("/usr/bin/setsid")).filter(Files::isExecutable);

    private final Catalog catalog;
    private final StackLayout layout;
    private final Probes probes;
    private final PrintStream out;
    private final Map<String, Child> children = new LinkedHashMap<>();
    private final Map<String, History> histories = new LinkedHashMap<>();
    private final boolean restartExited;
    private final Clock clock;
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("miner-restarts").daemon().factory());
    private volatile boolean shuttingDown;
    /** Told of every start, stop and exit, one call at a time and never under the supervisor's lock. */
    private final ExecutorService changes = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("miner-children-changed").daemon().factory());
    private volatile Consumer<List<Child>> childrenChanged;

    Supervisor(Catalog catalog, StackLayout layout, Probes probes, PrintStream out, boolean restartExited,
               Clock clock) {
        this.catalog = catalog;
        this.layout = layout;
        this.probes = probes;
        this.out = out;
        this.restartExited = restartExited;
        this.clock = clock;
    }

    /**
     * What became of one service name across its processes: how often the supervisor restarted it, why it last
     * ended, and the restart it is waiting for.
     */
    static final class History {
        private final RestartBackoff backoff;
        private int restarts;
        private StackStatus.LastExit lastExit;
        /** The pending restart's identity; a manual start or a stop clears it, and the pending one then does nothing. */
        private Object pending;
        private Instant pendingAt;

        private History(Clock clock) {
            backoff = new RestartBackoff(clock);
        }

        synchronized int restarts() {
            return restarts;
        }

        synchronized StackStatus.LastExit lastExit() {
            return lastExit;
        }

        /** When the pending restart is due, if one is. */
        synchronized Optional<Instant> restartAt() {
            return Optional.ofNullable(pending == null ? null : pendingAt);
        }
    }

    synchronized History history(String name) {
        return histories.computeIfAbsent(name, n -> new History(clock));
    }

    public StackLayout layout() {
        return layout;
    }

    Catalog catalog() {
        return catalog;
    }

    public synchronized List<Child> children() {
        return List.copyOf(children.values());
    }

    /**
     * Calls {@code listener} with the processes now, and after each change of them or of their states. Each call
     * reads the processes when it runs, after the change that caused it, so the last call sees the last change.
     */
    void onChildrenChanged(Consumer<List<Child>> listener) {
        childrenChanged = listener;
        changed();
    }

    private void changed() {
        Consumer<List<Child>> listener = childrenChanged;
        if (listener == null) {
            return;
        }
        try {
            changes.execute(() -> {
                try {
                    listener.accept(children());
                } catch (RuntimeException e) {
                    out.println("✖ " + e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            // shut down: nobody is told any more
        }
    }

    synchronized Optional<Child> child(String name) {
        return Optional.ofNullable(children.get(name));
    }

    synchronized Child start(ServiceSpec spec) {
        if (shuttingDown) {
            throw new MinerException("the stack is shutting down");
        }
        Child current = children.get(spec.name());
        if (current != null && current.isAlive()) {
            throw new MinerException(spec.name() + " is already running (pid " + current.pid() + ")");
        }
        if (spec.port() != 0 && !Ports.isFree(spec.port())) {
            throw new MinerException("port " + spec.port() + " (" + spec.name() + ") is in use on 127.0.0.1: stop "
                    + "what holds it, or start the stack with another --port-base");
        }
        Path log = layout.log(spec.name());
        List<String> command = new ArrayList<>();
        // Its own session: Ctrl-C in the terminal reaches the supervisor only, which stops everything in order.
        SETSID.ifPresent(setsid -> command.add(setsid.toString()));
        command.addAll(spec.command());
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, LogFiles.START_MARKER + Instant.now() + " started by ./miner: " + String.join(" ",
                    spec.command()) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command).directory(layout.home().toFile())
                    .redirectErrorStream(true).redirectOutput(Redirect.appendTo(log.toFile()))
                    .redirectInput(Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(spec.environment());
            Process process = builder.start();
            Child child = new Child(spec, process, log);
            children.put(spec.name(), child);
            History history = history(spec.name());
            synchronized (history) {
                history.pending = null;
            }
            history.backoff.started();
            process.onExit().thenAccept(p -> exited(child, p.exitValue()));
            changed();
            return child;
        } catch (IOException e) {
            throw new MinerException("could not start " + spec.name() + ": " + e.getMessage(), e);
        }
    }

    private void exited(Child child, int status) {
        boolean killed = child.state() == Child.State.KILLED;
        boolean stopped = child.state() == Child.State.STOPPING;
        boolean expected = child.exited(status);
        changed();
        if (child.name().equals(Catalog.POSTGRES)) {
            // The wrapper and its server are one process to the stack, as a pod's container is: if the wrapper
            // dies, a server left behind would hold the port and the data directory against the restart.
            endServer("wrapper exited");
        }
        History history = history(child.name());
        String cause = stopped ? "stopped" : killed ? "./miner kill" : expected ? "done" : "exited unasked";
        synchronized (history) {
            history.lastExit = new StackStatus.LastExit(status, Child.signalName(status), clock.instant(), cause);
        }
        if (shuttingDown || stopped || (expected && !killed)) {
            return;
        }
        boolean restart = restartExited && child.spec().readiness() != ServiceSpec.Readiness.EXIT_ZERO;
        if (killed) {
            if (restart) {
                out.printf("  %s (pid %d) killed; %s%n", child.name(), child.pid(), scheduleRestart(child.spec()));
            }
            return;
        }
        out.printf("✖ %s (pid %d) exited with status %d%s; the rest keeps running. Last lines of %s:%n%s  %s%n",
                child.name(), child.pid(), status, Child.signal(status), layout.home().relativize(child.log()),
                LogFiles.indentedTail(child.log(), 15), restart ? scheduleRestart(child.spec())
                        : "./miner restart " + child.name() + " starts it again (--no-restart is on).");
    }

    /** Starts the process again after its back-off; says when. */
    private String scheduleRestart(ServiceSpec spec) {
        History history = history(spec.name());
        Object token = new Object();
        Duration wait;
        synchronized (history) {
            wait = history.backoff.exited();
            history.pending = token;
            history.pendingAt = clock.instant().plus(wait);
        }
        try {
            restarts.schedule(() -> Thread.ofVirtual().name("restart-" + spec.name()).start(
                    () -> restartExited(spec, history, token)), wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return "not restarting it: the stack is shutting down";
        }
        return "restarting it in " + wait.toSeconds() + " s (back-off " + RestartBackoff.INITIAL.toSeconds()
                + " s doubling to " + RestartBackoff.MAX.toSeconds() + " s)";
    }

    private void restartExited(ServiceSpec spec, History history, Object token) {
        Child child;
        int count;
        synchronized (this) {
            synchronized (history) {
                if (shuttingDown || history.pending != token) {
                    return; // stopped, shut down or started by hand meanwhile
                }
                history.pending = null;
            }
            Child current = children.get(spec.name());
            if (current != null && current.isAlive()) {
                return;
            }
            try {
                child = start(spec);
            } catch (MinerException e) {
                out.println("✖ restarting " + spec.name() + " failed: " + e.getMessage() + "; "
                        + scheduleRestart(spec));
                return;
            }
            synchronized (history) {
                count = ++history.restarts;
            }
        }
        out.printf("↻ restarted %s (pid %d, restart %d)%n", spec.name(), child.pid(), count);
        try {
            awaitReady(child, RESTART_READY_TIMEOUT);
            out.printf("  %s ready again%n", spec.name());
        } catch (MinerException e) {
            // A death while starting schedules the next restart by itself.
            out.println("✖ " + e.getMessage());
        }
    }

    /** SIGKILL to this stack's PostgreSQL server and its backends, if one runs; what it ended. */
    private Optional<Outcome.ServerEnded> endServer(String why) {
        return Leftovers.postmaster(layout).map(server -> {
            List<ProcessHandle> backends = server.descendants().toList();
            server.destroyForcibly();
            backends.forEach(ProcessHandle::destroyForcibly);
            server.onExit().completeOnTimeout(server, 10, TimeUnit.SECONDS).join();
            return new Outcome.ServerEnded(server.pid(), backends.size(), why);
        });
    }

    /** Waits until the child is ready; fails naming it, with its log tail, if it dies or takes too long. */
    void awaitReady(Child child, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            if (child.spec().readiness() == ServiceSpec.Readiness.EXIT_ZERO) {
                if (!child.isAlive()) {
                    int status = child.process().exitValue();
                    if (status == 0) {
                        child.ready();
                        return;
                    }
                    throw failed(child, "failed with status " + status);
                }
            } else if (!child.isAlive()) {
                throw failed(child, "exited with status " + child.process().exitValue()
                        + Child.signal(child.process().exitValue()) + " while starting");
            } else if (probes.ready(child.spec())) {
                child.ready();
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw failed(child, "was not ready after " + timeout.toSeconds() + " s");
            }
            sleep(POLL);
        }
    }

    private MinerException failed(Child child, String what) {
        return new MinerException(child.name() + " " + what + ". Last lines of "
                + layout.home().relativize(child.log()) + ":\n" + LogFiles.indentedTail(child.log(), 25));
    }

    /** Starts or stops hasher processes until {@code count} are running; returns what it did. */
    public Outcome.Scaled scaleHashers(int count) {
        StackOptions.requireBetween("hasher count", count, 0, Ports.MAX_HASHERS);
        List<Child> running = runningHashers();
        List<Outcome.Started> ready = new ArrayList<>();
        List<Outcome.Stopped> stopped = new ArrayList<>();
        if (count > running.size()) {
            List<Child> started = new ArrayList<>();
            for (int index = 1; running.size() + started.size() < count; index++) {
                String name = Catalog.HASHER_PREFIX + index;
                if (child(name).filter(Child::isAlive).isEmpty()) {
                    started.add(start(catalog.hasher(index)));
                }
            }
            for (Child child : started) {
                awaitReady(child, Duration.ofSeconds(90));
                ready.add(new Outcome.Started(child.name(), child.pid()));
            }
        } else {
            // Newest names first, so the group shrinks back to hasher-1..N.
            List<Child> surplus = running.stream().sorted(Comparator.comparingInt(Supervisor::hasherIndex).reversed())
                    .limit(running.size() - count).toList();
            stopAll(surplus);
            surplus.forEach(child -> stopped.add(new Outcome.Stopped(child.name(), false)));
        }
        return new Outcome.Scaled(ready, stopped, count);
    }

    /** SIGKILL, as an out-of-memory killer or a pulled plug would: no shutdown hook, no commit, no goodbye. */
    public Outcome.Killed kill(String name) {
        Child child;
        if (name.equals("hasher")) {
            // A ready one when there is one: killing a hasher that is still starting shows nothing.
            List<Child> hashers = readyHashers().isEmpty() ? runningHashers() : readyHashers();
            if (hashers.isEmpty()) {
                throw new MinerException("no hasher is running");
            }
            child = hashers.get(ThreadLocalRandom.current().nextInt(hashers.size()));
        } else {
            child = child(name).filter(Child::isAlive).orElseThrow(() -> new MinerException(
                    name + " is not running (./miner status lists what is)"));
        }
        return kill(child, false);
    }

    /**
     * SIGKILL, and the process stays down until {@code restart}: an outage, as a node that is lost for a while,
     * rather than a crash that the supervisor answers with a restart.
     */
    public Outcome.Killed killAndHold(String name) {
        Child child = child(name).filter(Child::isAlive).orElseThrow(() -> new MinerException(
                name + " is not running (./miner status lists what is)"));
        return kill(child, true);
    }

    private Outcome.Killed kill(Child child, boolean hold) {
        if (hold) {
            child.stopping(); // an exit the supervisor expects: no restart is scheduled for it
        } else {
            child.killing();
        }
        changed();
        // PostgreSQL's server runs detached from its wrapper JVM: killing the database means killing the server.
        Outcome.ServerEnded server = child.name().equals(Catalog.POSTGRES) ? endServer("SIGKILL").orElse(null) : null;
        child.process().destroyForcibly();
        awaitExit(child, Duration.ofSeconds(10));
        return new Outcome.Killed(child.name(), child.pid(), server, hold);
    }

    /** Sends a signal by name ({@code STOP}, {@code CONT}) to the named process, as {@code kill -STOP} does. */
    public Outcome.Signalled signal(String name, String signal) {
        Child child = child(name).filter(Child::isAlive).orElseThrow(() -> new MinerException(
                name + " is not running (./miner status lists what is)"));
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new MinerException("kill -" + signal + " " + child.pid() + " failed");
            }
        } catch (IOException e) {
            throw new MinerException("kill -" + signal + " " + child.pid() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MinerException("interrupted");
        }
        return new Outcome.Signalled(name, child.pid(), signal);
    }

    /** How often each process was started again after an exit nobody asked for. */
    public synchronized Map<String, Integer> restartCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        histories.forEach((name, history) -> counts.put(name, history.restarts()));
        return counts;
    }

    /** SIGTERM, and SIGKILL after the grace period: the process stops the way an orderly shutdown stops it. */
    public Outcome.Stopped stop(String name) {
        Optional<Child> running = child(name).filter(Child::isAlive);
        if (running.isEmpty()) {
            History history = history(name);
            synchronized (history) {
                if (history.pending != null) {
                    history.pending = null;
                    return new Outcome.Stopped(name, true);
                }
            }
            throw new MinerException(name + " is not running (./miner status lists what is)");
        }
        stopAll(List.of(running.get()));
        return new Outcome.Stopped(name, false);
    }

    /** Replaces a process by one started from another spec of the same name (rng with other settings). */
    public Outcome.Restarted replace(ServiceSpec spec) {
        History history = history(spec.name());
        synchronized (history) {
            history.pending = null; // this start replaces a pending automatic one
        }
        child(spec.name()).filter(Child::isAlive).ifPresent(child -> stopAll(List.of(child)));
        Child child = start(spec);
        awaitReady(child, Duration.ofSeconds(120));
        return new Outcome.Restarted(spec.name(), child.pid());
    }

    /** Stops the named process if it runs, then starts it again and waits until it is ready. */
    public Outcome.Restarted restart(String name) {
        return replace(catalog.byName(name));
    }

    /** Stops everything in dependency order: producers first, the broker and the database last. */
    void shutdown() {
        synchronized (this) {
            if (shuttingDown) {
                return;
            }
            shuttingDown = true;
        }
        restarts.shutdownNow();
        List<Child> all = children().stream().filter(Child::isAlive).toList();
        List<Child> rng = all.stream().filter(c -> c.name().equals(Catalog.RNG)).toList();
        List<Child> infra = all.stream().filter(c -> c.name().equals(Catalog.KAFKA)
                || c.name().equals(Catalog.POSTGRES)).toList();
        List<Child> services = all.stream().filter(c -> !rng.contains(c) && !infra.contains(c)).toList();
        stopAll(rng);
        stopAll(services);
        probes.close();
        stopAll(infra);
        changes.shutdown();
    }

    boolean isShuttingDown() {
        return shuttingDown;
    }

    /** SIGTERM to all at once, then waits; SIGKILL for any still there after the grace period. */
    private void stopAll(List<Child> targets) {
        for (Child child : targets) {
            History history = history(child.name());
            synchronized (history) {
                history.pending = null; // a stop is for good: no pending restart
            }
            child.stopping();
            child.process().destroy();
        }
        changed();
        for (Child child : targets) {
            if (!awaitExit(child, STOP_GRACE)) {
                out.println("  " + child.name() + " did not stop within " + STOP_GRACE.toSeconds()
                        + " s of SIGTERM; sending SIGKILL");
                child.process().destroyForcibly();
                awaitExit(child, Duration.ofSeconds(10));
            }
            out.println("  stopped " + child.name());
        }
    }

    private static boolean awaitExit(Child child, Duration timeout) {
        try {
            return child.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private List<Child> runningHashers() {
        return children().stream().filter(c -> c.spec().isHasher() && c.isAlive()
                && c.state() != Child.State.STOPPING).toList();
    }

    public List<Child> readyHashers() {
        return runningHashers().stream().filter(c -> c.state() == Child.State.READY).toList();
    }

    static int hasherIndex(Child child) {
        return Integer.parseInt(child.name().substring(Catalog.HASHER_PREFIX.length()));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MinerException("interrupted");
        }
    }
}
