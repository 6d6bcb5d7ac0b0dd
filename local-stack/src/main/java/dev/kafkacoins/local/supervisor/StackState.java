package dev.kafkacoins.local.supervisor;

import dev.kafkacoins.local.MinerException;
import dev.kafkacoins.local.StackLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a running stack tells the other commands: where its supervisor listens and the token it expects. The file
 * is readable by its owner only; the token keeps other local users from stopping or scaling someone's stack.
 */
public record StackState(long pid, int controlPort, String token, String dashboard, String bootstrapServers,
                  String jdbcUrl, Instant started) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, JSON.writeValueAsString(this));
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The state of the stack running from this data directory, if its supervisor is alive. */
    public static Optional<StackState> read(StackLayout layout) {
        Path file = layout.stateFile();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            StackState state = JSON.readValue(Files.readString(file), StackState.class);
            return ProcessHandle.of(state.pid()).filter(ProcessHandle::isAlive).map(p -> state);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public static StackState require(StackLayout layout) {
        return read(layout).orElseThrow(() -> new MinerException("no stack is running from "
                + layout.data() + " (./miner up starts one)"));
    }
}
