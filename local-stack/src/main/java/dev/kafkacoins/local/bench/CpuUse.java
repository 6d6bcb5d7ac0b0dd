package dev.kafkacoins.local.bench;

import dev.kafkacoins.local.stack.Catalog;
import dev.kafkacoins.local.supervisor.Child;
import dev.kafkacoins.local.supervisor.Leftovers;
import dev.kafkacoins.local.supervisor.Supervisor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time the stack's processes used, per service, as the operating system counts it: a process and every
 * process below it, and for PostgreSQL its detached server processes too. The benchmark takes one reading at each
 * end of a window to say where the machine's cores went: to hashing, or to moving and counting the work.
 */
final class CpuUse {

    /** The name every hasher-N's CPU counts under. */
    static final String HASHERS = "hashers";

    private final Map<String, Duration> byService;
    private final long atNanos;

    private CpuUse(Map<String, Duration> byService, long atNanos) {
        this.byService = byService;
        this.atNanos = atNanos;
    }

    /** Every hasher-N counts as "hashers"; every other process under its own name. */
    static CpuUse read(Supervisor supervisor) {
        Map<String, Duration> used = new LinkedHashMap<>();
        for (Child child : supervisor.children()) {
            if (!child.isAlive()) {
                continue;
            }
            String service = child.name().startsWith(Catalog.HASHER_PREFIX) ? HASHERS : child.name();
            ProcessHandle root = child.process().toHandle();
            Duration total = cpu(root);
            List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
            if (child.name().equals(Catalog.POSTGRES)) {
                // pg_ctl detaches the server from the wrapper JVM, as `./miner status` finds it for memory.
                Leftovers.postmaster(supervisor.layout()).ifPresent(server -> {
                    tree.add(server);
                    tree.addAll(server.descendants().toList());
                });
            }
            for (ProcessHandle process : tree) {
                total = total.plus(cpu(process));
            }
            used.merge(service, total, Duration::plus);
        }
        used.put("supervisor", cpu(ProcessHandle.current()));
        return new CpuUse(used, System.nanoTime());
    }

    /**
     * Cores each service kept busy between {@code earlier} and this reading, on average. A process that started
     * or ended in between counts only the part both readings saw.
     */
    Map<String, Double> coresSince(CpuUse earlier) {
        double seconds = (atNanos - earlier.atNanos) / 1e9;
        Map<String, Double> cores = new LinkedHashMap<>();
        byService.forEach((service, now) -> {
            Duration before = earlier.byService.getOrDefault(service, Duration.ZERO);
            cores.put(service, Math.round(Math.max(0, now.minus(before).toNanos()) / 1e9 / seconds * 100) / 100.0);
        });
        return cores;
    }

    private static Duration cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }
}
