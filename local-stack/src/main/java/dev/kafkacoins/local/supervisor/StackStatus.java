package dev.kafkacoins.local.supervisor;

import dev.kafkacoins.local.observe.Prometheus;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * What {@code ./miner status} shows; {@code --json} prints it as is.
 *
 * @param memoryBytes the whole stack's memory (PSS), PostgreSQL's server processes included
 * @param prometheus  Prometheus's address under {@code --observe}, or null
 */
public record StackStatus(String dashboard, String bootstrapServers, String jdbcUrl, String dataDir, long uptimeSeconds,
                   List<ProcessRow> processes, long memoryBytes, Mining mining, String prometheus) {

    /**
     * @param memoryBytes the process's PSS; for postgres, its wrapper JVM plus the server's processes
     * @param restarts    how often the supervisor started it again after it exited unasked or was killed
     * @param lastExit    how its previous process ended, or null if none did yet
     */
    record ProcessRow(String name, long pid, int port, String state, String health, long memoryBytes, int restarts,
                      LastExit lastExit) {
    }

    /**
     * @param status the exit status (128 + N for a signal N)
     * @param signal SIGKILL, SIGTERM, … or null for an ordinary exit
     * @param cause  "exited unasked", "./miner kill", "stopped" or "done"
     */
    record LastExit(int status, String signal, Instant at, String cause) {

        String describe() {
            return status + (signal == null ? "" : " " + signal) + " at "
                    + DateTimeFormatter.ISO_LOCAL_TIME.format(at.atZone(ZoneId.systemDefault()).toLocalTime()
                    .withNano(0)) + (cause.equals("exited unasked") ? "" : ", " + cause);
        }
    }

    /** From the dashboard's API; fields are null while the webui does not answer. */
    record Mining(Double hashesPerSecond, Long hashes, Long coins, String groupState, Integer members,
                  Integer idleMembers, Integer partitions, Long lag) {
    }

    public String render() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "KafkaCoins, up %s · dashboard %s%n  kafka %s · postgres %s · data %s%n",
                duration(uptimeSeconds), dashboard, bootstrapServers, jdbcUrl, dataDir));
        if (prometheus != null) {
            s.append(String.format(Locale.ROOT, "  prometheus %s (user %s, password %s in %s)%n", prometheus,
                    Prometheus.USER, Prometheus.SECRET, java.nio.file.Path.of(dataDir, "secrets",
                            "passwords.properties")));
        }
        s.append(System.lineSeparator());
        s.append(String.format(Locale.ROOT, "%-14s %8s %6s  %-26s %-10s %10s %8s  %s%n", "PROCESS", "PID", "PORT",
                "STATE", "HEALTH", "MEMORY", "RESTARTS", "LAST EXIT"));
        for (ProcessRow p : processes) {
            s.append(String.format(Locale.ROOT, "%-14s %8d %6s  %-26s %-10s %10s %8d  %s%n", p.name(), p.pid(),
                    p.port() == 0 ? "-" : Integer.toString(p.port()), p.state(), p.health(),
                    p.memoryBytes() == 0 ? "-" : Memory.format(p.memoryBytes()), p.restarts(),
                    p.lastExit() == null ? "-" : p.lastExit().describe()));
        }
        s.append(String.format(Locale.ROOT, "%-14s %8s %6s  %-26s %-10s %10s%n%n", "total", "", "", "", "",
                Memory.format(memoryBytes)));
        if (mining.hashesPerSecond() == null) {
            s.append("rate: the dashboard does not answer yet\n");
        } else {
            s.append(String.format(Locale.ROOT, "rate %.1f M hashes/s · %,d hashes · %,d coins%n",
                    mining.hashesPerSecond() / 1e6, mining.hashes(), mining.coins()));
        }
        if (mining.members() != null) {
            s.append(String.format(Locale.ROOT, "group hasher: %s, %d members (%d idle) on %d partitions of "
                            + "miner.blocks, lag %,d blocks%n", mining.groupState(), mining.members(),
                    mining.idleMembers(), mining.partitions(), mining.lag()));
        }
        return s.toString();
    }

    private static String duration(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%dh %02dm", seconds / 3600, seconds % 3600 / 60)
                : String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
    }
}
