package dev.kafkacoins.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code ./miner} and {@code ./mvnw} commands of a page's code blocks, and whether something here runs them. A
 * command counts as run when {@code .ci/run} runs exactly that command line, or when it is a {@code ./miner}
 * command whose subcommand and every option are ones MinerIT or ObserveIT passes to {@code ./miner} (the values may differ). Any
 * other command must be marked: {@value #MARK} in a comment on its line, or in a comment line of its code block
 * above it, which then marks every command after it in that block. kubectl commands are WalkthroughCommandsTest's.
 */
public final class DocumentedCommands {

    static final String MARK = "not run here";
    private static final Pattern FENCE = Pattern.compile("(?ms)^\\s*```[^\\n]*\\n(.*?)^\\s*```");
    private static final Pattern CONTINUATION = Pattern.compile("\\s*\\\\\\n\\s*");
    private static final Pattern COMMENT = Pattern.compile("(^|\\s)#.*$");
    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    private static final Set<String> PROGRAMS = Set.of("./miner", "./mvnw");

    private DocumentedCommands() {
    }

    /** A command as the page has it, where, and whether its line or block says it is not run here. */
    public record Command(String source, String line, List<String> words, boolean marked) {
    }

    /** What runs here: .ci/run's command lines, and the strings MinerIT and ObserveIT pass to ./miner. */
    public record RunHere(Set<String> ciCommands, Set<String> minerItStrings) {

        public static RunHere in(Path root) throws IOException {
            Set<String> ci = new TreeSet<>();
            for (String line : CONTINUATION.matcher(Files.readString(root.resolve(".ci/run"))).replaceAll(" ")
                    .split("\\n")) {
                for (List<String> words : KubectlCommands.Shell.commands(line)) {
                    if (!words.isEmpty() && PROGRAMS.contains(words.getFirst())) {
                        ci.add(String.join(" ", words));
                    }
                }
            }
            Set<String> strings = new TreeSet<>();
            for (Path test : minerTests(root)) {
                Matcher literal = LITERAL.matcher(Files.readString(test));
                while (literal.find()) {
                    strings.add(literal.group(1));
                }
            }
            return new RunHere(ci, strings);
        }

        /** The ITs that drive ./miner as a user does (.ci/run runs both), wherever the module layout puts them. */
        private static List<Path> minerTests(Path root) throws IOException {
            List<Path> found = new ArrayList<>();
            for (String name : List.of("MinerIT.java", "ObserveIT.java")) {
                try (Stream<Path> files = Files.walk(root)) {
                    found.add(files.filter(p -> p.endsWith(name) && !p.toString().contains("/target/"))
                            .findFirst().orElseThrow(() -> new IllegalStateException("no " + name + " under " + root)));
                }
            }
            return found;
        }

        boolean runs(Command command) {
            if (ciCommands.contains(String.join(" ", command.words()))) {
                return true;
            }
            if (!command.words().getFirst().equals("./miner")) {
                return false;
            }
            List<String> words = command.words().subList(1, command.words().size());
            int at = 0;
            if (at < words.size() && words.get(at).startsWith("--data-dir")) {
                at += words.get(at).contains("=") ? 1 : 2;
            }
            if (at >= words.size() || !minerItStrings.contains(words.get(at))) {
                return false;
            }
            return words.subList(at + 1, words.size()).stream().filter(w -> w.startsWith("--"))
                    .map(w -> w.contains("=") ? w.substring(0, w.indexOf('=')) : w)
                    .allMatch(minerItStrings::contains);
        }
    }

    /** Every ./miner and ./mvnw command in the page's fenced code blocks, in page order. */
    public static List<Command> in(String source, String markdown) {
        List<Command> commands = new ArrayList<>();
        Matcher fence = FENCE.matcher(markdown);
        while (fence.find()) {
            boolean blockMarked = false;
            for (String line : CONTINUATION.matcher(fence.group(1)).replaceAll(" ").split("\\n")) {
                String stripped = line.strip();
                Matcher comment = COMMENT.matcher(stripped);
                boolean lineMarked = comment.find() && comment.group().contains(MARK);
                if (stripped.startsWith("#")) {
                    blockMarked |= lineMarked;
                    continue;
                }
                for (List<String> words : KubectlCommands.Shell.commands(line)) {
                    if (!words.isEmpty() && PROGRAMS.contains(words.getFirst())) {
                        commands.add(new Command(source, stripped, words, blockMarked || lineMarked));
                    }
                }
            }
        }
        return commands;
    }

    /** One line for each command that nothing here runs and that is not marked; empty when all are accounted for. */
    public static List<String> unaccounted(List<Command> commands, RunHere runHere) {
        return commands.stream().filter(c -> !c.marked() && !runHere.runs(c))
                .map(c -> c.source() + ": `" + c.line() + "` is run by no test here (.ci/run, MinerIT, ObserveIT): run it in "
                        + "one, or mark it with a comment: # " + MARK + ": <why>")
                .toList();
    }
}
