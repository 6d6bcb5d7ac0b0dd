package dev.kafkacoins.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code kubectl} commands a Markdown page tells its reader to type, and kubectl's own verdict on each: run
 * against a kubeconfig whose server is 127.0.0.1:1, where nothing listens, kubectl parses the command line (flags,
 * resource arguments, kustomizations, files) and then fails to connect. A command it accepted gets as far as the
 * connection (or, for {@code kubectl config}, succeeds locally); one it refuses says why first.
 *
 * <p>What is rewritten before running, so that nothing leaves this machine and nothing outside a scratch folder is
 * written: shell substitutions, variables and {@code <placeholders>} become a word; a URL, or the value of a flag
 * naming a file kubectl reads (a CA, a certificate), becomes a small manifest file (a small env file for
 * {@code --from-env-file}); {@code --kubeconfig} points into the scratch folder.
 */
public final class KubectlCommands {

    /** A command as the page has it, and where. */
    public record Command(String source, String line, List<String> words) {
    }

    private static final Pattern FENCE = Pattern.compile("(?ms)^\\s*```[^\\n]*\\n(.*?)^\\s*```");
    private static final Pattern INLINE = Pattern.compile("`(kubectl [^`]+)`");
    private static final String UNREACHABLE = "127.0.0.1:1";
    /** Flags whose value kubectl reads as a file before it connects: given the stand-in manifest. */
    private static final List<String> FILE_FLAGS = List.of("--certificate-authority", "--client-certificate",
            "--client-key", "--filename");

    private KubectlCommands() {
    }

    /** Every kubectl command in the page's code blocks and inline code, in page order. */
    public static List<Command> in(String source, String markdown) {
        List<String> lines = new ArrayList<>();
        Matcher fence = FENCE.matcher(markdown);
        StringBuilder prose = new StringBuilder();
        int last = 0;
        while (fence.find()) {
            prose.append(markdown, last, fence.start());
            last = fence.end();
            lines.addAll(List.of(fence.group(1).replaceAll("\\\\\\n\\s*", " ").split("\\n")));
        }
        prose.append(markdown.substring(last));
        Matcher inline = INLINE.matcher(prose);
        while (inline.find()) {
            lines.add(inline.group(1));
        }
        List<Command> commands = new ArrayList<>();
        for (String line : lines) {
            for (List<String> words : Shell.commands(line)) {
                if (!words.isEmpty() && words.getFirst().equals("kubectl")) {
                    commands.add(new Command(source, line.strip(), words));
                }
            }
        }
        return commands;
    }

    /**
     * kubectl's verdict on each command, run in order from {@code workingDirectory} (the repository root, so that
     * {@code -k k8s/dev} and {@code -f k8s/tools/...} resolve): empty when kubectl accepted them all.
     */
    public static List<String> refused(List<Command> commands, Path workingDirectory, Path scratch)
            throws IOException, InterruptedException {
        Path kubectl = Manifests.requireKubectl();
        Path kubeconfig = scratch.resolve("unreachable.kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: nowhere, cluster: {server: "https://%s"}}]
                users: [{name: nobody, user: {token: not-a-token}}]
                contexts: [{name: nowhere, context: {cluster: nowhere, user: nobody}}]
                current-context: nowhere
                """.formatted(UNREACHABLE));
        Path standIn = scratch.resolve("stand-in.yaml");
        Files.writeString(standIn, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stand-in\n");
        Files.writeString(scratch.resolve("stand-in.env"), "stand-in=value\n");
        List<String> problems = new ArrayList<>();
        for (Command command : commands) {
            List<String> argv = new ArrayList<>();
            argv.add(kubectl.toString());
            for (String word : command.words().subList(1, command.words().size())) {
                argv.add(rewrite(word, scratch, standIn));
            }
            ProcessBuilder builder = new ProcessBuilder(argv).directory(workingDirectory.toFile())
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            Map<String, String> env = builder.environment();
            env.put("KUBECONFIG", kubeconfig.toString());
            env.put("HOME", scratch.toString());
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                problems.add(command.source() + ": `" + command.line() + "`: kubectl did not return within 30 s");
                continue;
            }
            String verdict = verdict(process.exitValue(), output);
            if (verdict != null) {
                problems.add(command.source() + ": `" + command.line() + "`: kubectl refuses it: " + verdict);
            }
        }
        return problems;
    }

    /** Null when kubectl accepted the command line, else its first complaint. */
    static String verdict(int exit, String output) {
        if (exit == 0) {
            return null;
        }
        for (String line : output.lines().toList()) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            boolean complaint = lower.startsWith("error") || lower.contains("unknown flag")
                    || lower.contains("unknown command");
            if (complaint && !line.contains(UNREACHABLE)) {
                return line.strip();
            }
        }
        return output.contains(UNREACHABLE) ? null : output.strip();
    }

    private static String rewrite(String word, Path scratch, Path standIn) {
        if (word.startsWith("--kubeconfig=")) {
            return "--kubeconfig=" + scratch.resolve(Path.of(word.substring("--kubeconfig=".length())).getFileName());
        }
        if (word.startsWith("--from-env-file=")) {
            return "--from-env-file=" + scratch.resolve("stand-in.env");
        }
        for (String flag : FILE_FLAGS) {
            if (word.startsWith(flag + "=")) {
                return flag + "=" + standIn;
            }
        }
        return word.replaceAll("https?://\\S+", standIn.toString()).replaceAll("<[^>]+>", "placeholder");
    }

    /** Just enough of the shell to find the commands of one line: words, quotes, ;, &&, ||, |, $(...). */
    static final class Shell {

        private Shell() {
        }

        static List<List<String>> commands(String line) {
            List<List<String>> commands = new ArrayList<>();
            List<String> words = new ArrayList<>();
            StringBuilder word = null;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '#' && word == null) {
                    break;
                }
                if (c == '$' && i + 1 < line.length() && line.charAt(i + 1) == '(') {
                    int end = closing(line, i + 1);
                    commands.addAll(commands(line.substring(i + 2, end)));
                    word = word == null ? new StringBuilder() : word;
                    word.append("substituted");
                    i = end;
                } else if (c == '$' && i + 1 < line.length() && (Character.isLetter(line.charAt(i + 1))
                        || line.charAt(i + 1) == '{')) {
                    int j = i + 1;
                    while (j < line.length() && (Character.isLetterOrDigit(line.charAt(j)) || "_{}".indexOf(
                            line.charAt(j)) >= 0)) {
                        j++;
                    }
                    word = word == null ? new StringBuilder() : word;
                    word.append("value");
                    i = j - 1;
                } else if (c == '\'') {
                    // An unclosed quote (a code block that is not shell) runs to the end of the line.
                    int end = line.indexOf('\'', i + 1) < 0 ? line.length() : line.indexOf('\'', i + 1);
                    word = word == null ? new StringBuilder() : word;
                    word.append(line, i + 1, end);
                    i = end;
                } else if (c == '"') {
                    int end = i + 1;
                    word = word == null ? new StringBuilder() : word;
                    while (end < line.length() && line.charAt(end) != '"') {
                        if (line.startsWith("$(", end)) {
                            int close = closing(line, end + 1);
                            commands.addAll(commands(line.substring(end + 2, close)));
                            word.append("substituted");
                            end = close + 1;
                        } else if (line.charAt(end) == '$') {
                            end++;
                            while (end < line.length() && (Character.isLetterOrDigit(line.charAt(end))
                                    || "_{}".indexOf(line.charAt(end)) >= 0)) {
                                end++;
                            }
                            word.append("value");
                        } else {
                            word.append(line.charAt(end++));
                        }
                    }
                    i = end;
                } else if (c == ';' || c == '|' || c == '&') {
                    if (word != null) {
                        words.add(word.toString());
                        word = null;
                    }
                    commands.add(withoutAssignments(words));
                    words = new ArrayList<>();
                    while (i + 1 < line.length() && (line.charAt(i + 1) == '|' || line.charAt(i + 1) == '&')) {
                        i++;
                    }
                } else if (Character.isWhitespace(c)) {
                    if (word != null) {
                        words.add(word.toString());
                        word = null;
                    }
                } else {
                    word = word == null ? new StringBuilder() : word;
                    word.append(c);
                }
            }
            if (word != null) {
                words.add(word.toString());
            }
            commands.add(withoutAssignments(words));
            return commands;
        }

        private static int closing(String line, int open) {
            int depth = 0;
            for (int i = open; i < line.length(); i++) {
                if (line.charAt(i) == '(') {
                    depth++;
                } else if (line.charAt(i) == ')' && --depth == 0) {
                    return i;
                }
            }
            return line.length() - 1;
        }

        /** {@code TOKEN=x kubectl ...} runs kubectl: leading assignments are not the command. */
        private static List<String> withoutAssignments(List<String> words) {
            int first = 0;
            while (first < words.size() && words.get(first).matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
                first++;
            }
            return words.subList(first, words.size());
        }
    }
}
