package dev.kafkacoins.local.supervisor;

import dev.kafkacoins.local.MinerException;
import dev.kafkacoins.local.StackLayout;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/**
 * One stack per data directory. The operating system releases the lock when the supervisor dies however it
 * dies, so a crash never leaves a stale lock behind.
 */
final class StackLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private StackLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static StackLock acquire(StackLayout layout) {
        try {
            Files.createDirectories(layout.run());
            FileChannel channel = FileChannel.open(layout.lockFile(), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                String running = StackState.read(layout).map(s -> " (supervisor pid " + s.pid() + ", dashboard "
                        + s.dashboard() + ")").orElse("");
                throw new MinerException("a stack is already running from " + layout.data() + running
                        + ": ./miner status shows it, ./miner down stops it");
            }
            return new StackLock(channel, lock);
        } catch (IOException e) {
            throw new MinerException("cannot lock " + layout.lockFile() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // The lock goes with the process anyway.
        }
    }
}
