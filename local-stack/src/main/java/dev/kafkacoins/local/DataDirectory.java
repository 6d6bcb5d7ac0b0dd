package dev.kafkacoins.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Makes sure a data directory is one {@code ./miner} made before it writes into it, let alone empties it
 * ({@code --fresh}): a directory the stack creates gets a marker file; an existing non-empty directory without the
 * marker (a home directory passed by mistake) is refused. The directory is its owner's only (0700): it holds the
 * stack's generated passwords.
 */
public final class DataDirectory {

    static final String MARKER = ".kafkacoins-miner-data";

    private DataDirectory() {
    }

    /** Creates the data directory, or checks that an existing one is a miner data directory; then owner-only. */
    public static void claim(StackLayout layout) {
        Path data = layout.data();
        try {
            if (!Files.exists(data)) {
                Files.createDirectories(data);
            } else if (!Files.isDirectory(data)) {
                throw refused(data, "is not a directory");
            } else if (!Files.exists(marker(layout)) && !isEmpty(data) && !isEarlierMinerData(layout)) {
                throw refused(data, "is not empty and has no " + MARKER);
            }
            if (!Files.exists(marker(layout))) {
                Files.writeString(marker(layout), "a KafkaCoins ./miner data directory: ./miner up --fresh may empty it\n");
            }
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new MinerException("cannot prepare the data directory " + data + ": " + e.getMessage(), e);
        }
    }

    public static Path marker(StackLayout layout) {
        return layout.data().resolve(MARKER);
    }

    private static MinerException refused(Path data, String why) {
        return new MinerException(data + " " + why + ", so it is not a miner data directory: pass an empty or new "
                + "directory with --data-dir (or MINER_DATA)");
    }

    /**
     * A data directory from before the marker, or the one the build's first run wrote its log into: it holds
     * nothing but what a stack writes.
     */
    private static boolean isEarlierMinerData(StackLayout layout) throws IOException {
        Set<Path> own = Set.of(layout.kafkaLog(), layout.postgresData(), layout.aggregatorState(), layout.appCache(),
                layout.logs(), layout.run(), layout.secrets(), layout.data().resolve("chaos"),
                layout.data().resolve("bench"));
        try (Stream<Path> entries = Files.list(layout.data())) {
            return entries.allMatch(own::contains);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
