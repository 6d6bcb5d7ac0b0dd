package dev.kafkacoins.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the local stack keeps things. Everything it writes is under one data directory (git-ignored), so a
 * {@code --fresh} start is one delete and nothing leaks into the source tree.
 *
 * @param home the repository root: the services' runnable jars are under its module folders
 * @param data the data directory: broker log, PostgreSQL cluster, Streams state, logs, run state
 */
public record StackLayout(Path home, Path data) {

    public StackLayout {
        home = home.toAbsolutePath().normalize();
        data = data.toAbsolutePath().normalize();
    }

    public Path kafkaLog() {
        return data.resolve("kafka");
    }

    public Path postgresData() {
        return data.resolve("postgres");
    }

    public Path aggregatorState() {
        return data.resolve("aggregator-state");
    }

    /** Unpacked jars and class-data archives (AppCache): derived from the build, kept by --fresh. */
    public Path appCache() {
        return data.resolve("app-cache");
    }

    public Path logs() {
        return data.resolve("logs");
    }

    public Path log(String service) {
        return logs().resolve(service + ".log");
    }

    /** Generated passwords (owner-only files): PostgreSQL's roles, the broker's SCRAM users. */
    public Path secrets() {
        return data.resolve("secrets");
    }

    /** Files that live only while a stack runs: the lock, the state the other commands read, broker config. */
    public Path run() {
        return data.resolve("run");
    }

    public Path lockFile() {
        return run().resolve("miner.lock");
    }

    public Path stateFile() {
        return run().resolve("stack.json");
    }

    /** The runnable ({@code -exec}) jar a module's build left in its target folder. */
    public Path runnableJar(String module) {
        Path target = home.resolve(module).resolve("target");
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "*-exec.jar")) {
                for (Path jar : jars) {
                    return jar;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new MinerException("no runnable jar in " + home.relativize(target)
                + ": build it with ./mvnw -DskipTests package (./miner does this when the jar is missing)");
    }
}
