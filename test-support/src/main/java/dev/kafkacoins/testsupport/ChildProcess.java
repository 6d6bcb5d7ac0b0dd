package dev.kafkacoins.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program a test starts as a process of its own (a service's JVM, a broker, a registry, {@code ./miner}, Maven):
 * its output in a log file whose tail is shown when something goes wrong, a wait until it listens, and an end by
 * SIGTERM or SIGKILL. The one way tests spawn processes; the local stack's supervisor, which is product code with
 * restarts and back-off of its own, does not use it.
 */
public class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    protected ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * @param directory the working directory, or null for the test's own
     * @param logDir    where {@code <name>.log} receives its standard output and error
     */
    public static ChildProcess start(String name, List<String> command, Path directory, Path logDir) {
        Path log = logDir.resolve(name + ".log");
        return new ChildProcess(name, launch(name, command, directory, log), log);
    }

    protected static Process launch(String name, List<String> command, Path directory, Path log) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            // A child Maven must not inherit the arguments of the one that runs the test.
            builder.environment().remove("MAVEN_ARGS");
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + " (" + command.getFirst() + ")", e);
        }
    }

    /** A port nothing listens on now, on the loopback interface, for a child to bind. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the child accepts connections on 127.0.0.1:port; fails at once if it exits first. */
    public void awaitListening(int port, Duration within) {
        await(name + " listening on 127.0.0.1:" + port + " (its log: " + log + ")").atMost(within)
                .pollInterval(Duration.ofMillis(100))
                .failFast(name + " exited before it listened on " + port + " (its log: " + log + ")",
                        () -> !process.isAlive())
                .ignoreExceptions().until(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                        return true;
                    }
                });
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the process gets no chance to commit, flush or leave its group. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    /** SIGTERM, then wait for the exit; a JVM that ran its shutdown hooks after SIGTERM exits with 143. */
    public int stop() {
        process.destroy();
        return awaitExit(Duration.ofSeconds(60));
    }

    /** Waits for the process to end by itself; its exit status. */
    public int awaitExit() {
        return awaitExit(Duration.ofSeconds(60));
    }

    /** Waits for the exit; past the bound the process and its descendants are killed and this fails. */
    public int awaitExit(Duration within) {
        try {
            if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(name + " did not exit within " + within + ":\n" + logTail(40));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
    }

    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
