package dev.kafkacoins.testsupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A service started in a JVM of its own, on the test's classpath, so that a test can do to it what an
 * operator does to a process: stop it with SIGTERM, or kill it with SIGKILL (no shutdown hook, no commit, no
 * clean close). Output goes to a log file whose tail is shown when something goes wrong.
 */
public final class ChildJvm extends ChildProcess {

    private ChildJvm(String name, Process process, Path log) {
        super(name, process, log);
    }

    public static ChildJvm start(String name, Class<?> mainClass, List<String> args, Path logDir) {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot tell which java runs this test"));
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(args);
        Path log = logDir.resolve(name + ".log");
        return new ChildJvm(name, launch(name, command, null, log), log);
    }
}
