package dev.kafkacoins.local.supervisor;

import dev.kafkacoins.local.MinerException;
import dev.kafkacoins.local.StackLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** {@code ./miner logs}: the end of a service's log, then what it writes next, like {@code tail -F}. */
public final class LogFollower {

    private LogFollower() {
    }

    public static int show(StackLayout layout, String service, int lines, boolean follow, PrintStream out)
            throws IOException, InterruptedException {
        Path log = layout.log(service);
        if (!Files.exists(log)) {
            String known;
            try (Stream<Path> logs = Files.exists(layout.logs()) ? Files.list(layout.logs()) : Stream.empty()) {
                known = String.join(", ", logs.map(p -> p.getFileName().toString())
                        .filter(n -> n.endsWith(".log")).map(n -> n.substring(0, n.length() - 4)).sorted().toList());
            }
            throw new MinerException("no log for '" + service + "' in " + layout.logs()
                    + (known.isEmpty() ? "" : "; there are: " + known));
        }
        LogFiles.tail(log, lines).forEach(out::println);
        if (!follow) {
            return 0;
        }
        long position = Files.size(log);
        while (true) {
            long size = Files.size(log);
            if (size < position) {
                position = 0; // truncated or replaced
            }
            if (size > position) {
                try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
                    file.seek(position);
                    byte[] bytes = new byte[(int) Math.min(size - position, 1 << 20)];
                    file.readFully(bytes);
                    out.print(new String(bytes, StandardCharsets.UTF_8));
                    position += bytes.length;
                }
            }
            Thread.sleep(250);
        }
    }
}
