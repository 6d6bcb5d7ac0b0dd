package dev.kafkacoins.local.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Memory a process really costs, from Linux's /proc: its proportional set size (PSS), which splits shared pages
 * between the processes that share them, so the stack's total is not inflated by PostgreSQL's shared buffers
 * counted once per backend. Falls back to resident size, and to 0 where /proc is absent.
 */
final class Memory {

    private Memory() {
    }

    static long bytes(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        long pss = field(proc.resolve("smaps_rollup"), "Pss:");
        return pss > 0 ? pss : field(proc.resolve("status"), "VmRSS:");
    }

    /** A process and every process below it. */
    static long treeBytes(ProcessHandle root) {
        return bytes(root.pid()) + root.descendants().mapToLong(p -> bytes(p.pid())).sum();
    }

    private static long field(Path file, String name) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024; // reported in kB
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not Linux
        }
        return 0;
    }

    static String format(long bytes) {
        return String.format("%,d MiB", bytes >> 20);
    }
}
