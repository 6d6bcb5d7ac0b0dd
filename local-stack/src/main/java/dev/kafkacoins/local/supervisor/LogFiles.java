package dev.kafkacoins.local.supervisor;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Reading the ends of the stack's log files, which can grow large while a stack runs for days. */
final class LogFiles {

    private static final int TAIL_BYTES = 64 * 1024;
    /** Begins the line the supervisor writes into a log before each start of its process. */
    static final String START_MARKER = "──── ";

    private LogFiles() {
    }

    /** The last {@code lines} lines, reading at most the file's last 64 KiB. */
    static List<String> tail(Path log, int lines) {
        if (!Files.exists(log)) {
            return List.of();
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            long from = Math.max(0, length - TAIL_BYTES);
            byte[] bytes = new byte[(int) (length - from)];
            file.seek(from);
            file.readFully(bytes);
            List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
            if (from > 0 && !all.isEmpty()) {
                all = all.subList(1, all.size()); // the first line was cut
            }
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(cannot read " + log + ": " + e.getMessage() + ")");
        }
    }

    /** The last lines this run of the process wrote: nothing from before the supervisor's last start marker. */
    static String indentedTail(Path log, int lines) {
        List<String> tail = tail(log, lines);
        for (int i = tail.size() - 1; i >= 0; i--) {
            if (tail.get(i).startsWith(START_MARKER)) {
                tail = tail.subList(i + 1, tail.size());
                break;
            }
        }
        StringBuilder text = new StringBuilder();
        for (String line : tail) {
            text.append("    │ ").append(line).append('\n');
        }
        return text.toString();
    }
}
