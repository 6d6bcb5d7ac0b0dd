package dev.kafkacoins.local.stack;

import dev.kafkacoins.local.MinerException;
import dev.kafkacoins.local.StackLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Fast restarts for the Spring services. Seven JVMs starting at once on a small machine spend most of their time
 * loading classes out of nested jars. Each runnable jar is unpacked once with Spring Boot's own
 * {@code -Djarmode=tools extract} (again whenever the jar is rebuilt), so its classes load from plain jars; that
 * lets the JVM keep a class-data-sharing archive per service, written when the service exits and mapped at its
 * next start ({@code -XX:+AutoCreateSharedArchive}, JDK 19+). The first {@code up} after a build runs without
 * archives; later ones start faster.
 */
public final class AppCache {

    private final StackLayout layout;
    private final String java;

    AppCache(StackLayout layout, String java) {
        this.layout = layout;
        this.java = java;
    }

    Path root() {
        return layout.appCache();
    }

    /** The unpacked copy of a module's runnable jar: its launcher jar, whose manifest lists lib/*.jar. */
    Path unpacked(String module) {
        Path jar = layout.runnableJar(module);
        return root().resolve(folder(module)).resolve(jar.getFileName());
    }

    /** JVM options that map the named process's archive, creating it at exit when missing or stale. */
    List<String> sharingOptions(String processName) {
        return List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + root().resolve(processName + ".jsa"),
                // The archive is an optimisation: never print its housekeeping into the service's log as a warning.
                "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    /** Unpacks every module whose jar changed since it was last unpacked; the unpacking runs in parallel. */
    public void refresh(List<String> modules) {
        List<String> stale = modules.stream().filter(this::isStale).toList();
        if (!stale.isEmpty()) {
            // Archives of the old jars: the JVM would refuse them and, seen here, not always write new ones.
            deleteArchives();
        }
        List<Process> running = stale.stream().map(this::unpack).toList();
        for (int i = 0; i < running.size(); i++) {
            String module = stale.get(i);
            try {
                if (!running.get(i).waitFor(120, TimeUnit.SECONDS) || running.get(i).exitValue() != 0) {
                    throw new MinerException("could not unpack " + layout.runnableJar(module) + " into " + root());
                }
                Files.writeString(stamp(module), fingerprint(module));
            } catch (IOException e) {
                throw new MinerException("could not write " + stamp(module) + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MinerException("interrupted while unpacking " + module);
            }
        }
    }

    private void deleteArchives() {
        try (Stream<Path> files = Files.exists(root()) ? Files.list(root()) : Stream.empty()) {
            for (Path archive : files.filter(p -> p.toString().endsWith(".jsa")).toList()) {
                Files.delete(archive);
            }
        } catch (IOException e) {
            throw new MinerException("could not delete the old archives in " + root() + ": " + e.getMessage(), e);
        }
    }

    private boolean isStale(String module) {
        try {
            return !Files.exists(stamp(module)) || !Files.readString(stamp(module)).equals(fingerprint(module))
                    || !Files.exists(unpacked(module));
        } catch (IOException e) {
            return true;
        }
    }

    private Process unpack(String module) {
        Path destination = root().resolve(folder(module));
        try {
            deleteTree(destination);
            Files.createDirectories(root());
            Files.createDirectories(layout.logs());
            return new ProcessBuilder(java, "-Djarmode=tools", "-jar", layout.runnableJar(module).toString(),
                    "extract", "--destination", destination.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.log("app-cache").toFile())).start();
        } catch (IOException e) {
            throw new MinerException("could not unpack " + module + ": " + e.getMessage(), e);
        }
    }

    private String fingerprint(String module) throws IOException {
        Path jar = layout.runnableJar(module);
        return jar + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis();
    }

    private Path stamp(String module) {
        return root().resolve(folder(module) + ".source");
    }

    private static String folder(String module) {
        return module.substring(module.lastIndexOf('/') + 1);
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
