package dev.kafkacoins.kit;

import java.util.Optional;

/**
 * Ends this JVM when the process that started it ends. The local stack starts every service, the broker and
 * PostgreSQL as child processes; if its supervisor is killed outright (SIGKILL runs no shutdown hook), each child
 * notices through this and stops cleanly instead of running on as an orphan holding ports and data files.
 * <p>
 * Off unless {@code -Dkafkacoins.exit-with=<pid>} is set, so a service run by Kubernetes or by hand is unaffected.
 */
public final class ParentWatch {

    public static final String PROPERTY = "kafkacoins.exit-with";

    private ParentWatch() {
    }

    public static void startIfRequested() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + " must be a process id, got '" + value + "'");
        }
        Optional<ProcessHandle> parent = ProcessHandle.of(pid);
        if (parent.isEmpty() || !parent.get().isAlive()) {
            System.err.println("process " + pid + " (-D" + PROPERTY + ") is not running; exiting");
            System.exit(1);
        }
        parent.get().onExit().thenRun(() -> {
            System.err.println("process " + pid + " that started this one has ended; shutting down");
            System.exit(0);
        });
    }
}
