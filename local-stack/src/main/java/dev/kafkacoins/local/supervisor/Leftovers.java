package dev.kafkacoins.local.supervisor;

import dev.kafkacoins.local.StackLayout;
import dev.kafkacoins.local.observe.Prometheus;
import dev.kafkacoins.local.stack.PostgresMain;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Processes of a stack whose supervisor is gone: every JVM the supervisor starts carries
 * {@code -Dminer.stack=<data directory>} on its command line, PostgreSQL's server records its pid in
 * postmaster.pid, and Prometheus ({@code --observe}) names its storage in the data directory. Normally the JVMs end
 * by themselves ({@link dev.kafkacoins.kit.ParentWatch}); this finds any process that did not, and Prometheus,
 * which has no such watch.
 */
public final class Leftovers {

    private Leftovers() {
    }

    public static List<ProcessHandle> find(StackLayout layout) {
        String marker = "-Dminer.stack=" + layout.data();
        String prometheus = "--storage.tsdb.path=" + Prometheus.storage(layout);
        List<ProcessHandle> found = new ArrayList<>(ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> p.info().arguments().map(List::of)
                        .map(args -> args.contains(marker) || args.contains(prometheus)).orElse(false))
                .toList());
        postmaster(layout).ifPresent(found::add);
        return found;
    }

    /** The PostgreSQL server running on this stack's data directory, if one is. */
    public static Optional<ProcessHandle> postmaster(StackLayout layout) {
        try {
            return PostgresMain.serverProcess(layout.postgresData()).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** SIGTERM, a grace period, then SIGKILL; returns how many it ended. */
    public static int end(List<ProcessHandle> processes, Duration grace) {
        processes.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : processes) {
            try {
                p.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
        return processes.size();
    }
}
