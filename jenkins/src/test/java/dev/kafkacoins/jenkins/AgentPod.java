package dev.kafkacoins.jenkins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent pod (jenkins/agent-pod.yaml) and the commands each of its containers can run: what its image ships
 * (listed below from each image's documented contents), what an init container copies into a volume it mounts,
 * and the shell's own builtins and basic utilities. {@link #missingTools} says which commands of a shell step its
 * container lacks, following the repository's own scripts into their commands.
 */
final class AgentPod {

    /** What each image provides, besides the basics every image here has. */
    static final Map<String, Set<String>> IMAGE_TOOLS = Map.of(
            "maven:3.9-eclipse-temurin-21", Set.of("java", "mvn", "git"),
            "alpine/k8s:1.33.4", Set.of("kubectl", "kustomize", "helm", "curl", "jq", "git", "bash"));

    /** The shell's keywords and builtins, and the utilities every Linux image here has. */
    static final Set<String> BASICS = Set.of("if", "then", "else", "elif", "fi", "for", "in", "do", "done", "while",
            "until", "case", "esac", "!", "{", "}", "echo", "printf", "exit", "set", "trap", "cd", "export", "wait",
            "test", "[", "true", "false", "read", "kill", "sleep", "cat", "rm", "mkdir", "cp", "mv", "ls", "grep",
            "sed", "tr", "wc", "head", "tail", "sh");

    /** Wrappers in the repository that are not scanned, and what they need: ./mvnw needs a JDK. */
    static final Map<String, Set<String>> WRAPPERS = Map.of("./mvnw", Set.of("java"));

    private static final Pattern DOUBLE_QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern REDIRECTION = Pattern.compile("\\d*[<>]+&?\\S*");
    private static final Pattern SEPARATORS = Pattern.compile("\\$\\(\\(.*?\\)\\)|\\$\\(|`|&&|\\|\\||[;|&()\\n]");

    private final Map<String, Set<String>> tools;

    private AgentPod(Map<String, Set<String>> tools) {
        this.tools = tools;
    }

    static AgentPod read(Path podYaml) throws IOException {
        JsonNode pod = new YAMLMapper().readTree(podYaml.toFile());
        Map<String, Set<String>> copiedInto = new HashMap<>();
        for (JsonNode init : pod.at("/spec/initContainers")) {
            // An init container that copies a binary into a shared volume: `cp <source> /<volume path>/<name>`.
            List<String> command = new ArrayList<>();
            init.path("command").forEach(c -> command.add(c.asText()));
            if (command.size() == 3 && command.getFirst().equals("cp")) {
                for (JsonNode mount : init.path("volumeMounts")) {
                    if (command.get(2).startsWith(mount.path("mountPath").asText() + "/")) {
                        copiedInto.computeIfAbsent(mount.path("name").asText(), v -> new HashSet<>())
                                .add(Path.of(command.get(2)).getFileName().toString());
                    }
                }
            }
        }
        Map<String, Set<String>> tools = new HashMap<>();
        for (JsonNode container : pod.at("/spec/containers")) {
            String image = container.path("image").asText();
            Set<String> provided = new HashSet<>(IMAGE_TOOLS.getOrDefault(image, Set.of()));
            if (!IMAGE_TOOLS.containsKey(image)) {
                throw new IllegalStateException("no tool list for image " + image + ": add it to IMAGE_TOOLS");
            }
            container.path("volumeMounts").forEach(m -> provided.addAll(
                    copiedInto.getOrDefault(m.path("name").asText(), Set.of())));
            tools.put(container.path("name").asText(), provided);
        }
        return new AgentPod(tools);
    }

    /** The commands of {@code script} that {@code container} does not have, in order of appearance. */
    Set<String> missingTools(String container, String script, Path workingDir) throws IOException {
        Set<String> provided = tools.get(container);
        if (provided == null) {
            throw new IllegalStateException("the agent pod has no container " + container + " " + tools.keySet());
        }
        Set<String> missing = new LinkedHashSet<>();
        for (String command : commands(script)) {
            if (BASICS.contains(command) || provided.contains(command)) {
                continue;
            }
            Set<String> needs = WRAPPERS.get(command);
            if (needs != null) {
                needs.stream().filter(n -> !provided.contains(n)).forEach(n -> missing.add(command));
                continue;
            }
            Path repoScript = workingDir.resolve(command).normalize();
            if (command.contains("/") && Files.isRegularFile(repoScript)) {
                if (!Files.isExecutable(repoScript)) {
                    missing.add(command + " (not executable)");
                }
                missing.addAll(missingTools(container, Files.readString(repoScript), workingDir));
                continue;
            }
            missing.add(command);
        }
        return missing;
    }

    /**
     * The first word of each simple command in a POSIX shell script: split at separators, command substitutions
     * and line ends; keywords and variable assignments in front are skipped; comments and arithmetic dropped.
     * Enough for the scripts of this pipeline, not a shell parser.
     */
    static List<String> commands(String script) {
        List<String> commands = new ArrayList<>();
        StringBuilder code = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (!trimmed.startsWith("#")) {
                code.append(withoutQuotedText(trimmed)).append('\n');
            }
        }
        for (String part : SEPARATORS.split(code)) {
            String[] words = part.strip().split("\\s+");
            for (String word : words) {
                if (word.isEmpty() || word.matches("[A-Za-z_][A-Za-z0-9_]*=.*")
                        || Set.of("if", "then", "else", "elif", "do", "while", "until", "!", "{", "time").contains(word)) {
                    continue;
                }
                commands.add(word);
                break;
            }
        }
        return commands;
    }

    /**
     * Quoted text is data (a jq filter, a message), not commands: keep the quotes, drop what is inside, unless a
     * double-quoted string holds a command substitution. Redirections go too ({@code 2>&1} is not a command).
     */
    private static String withoutQuotedText(String line) {
        Matcher quoted = DOUBLE_QUOTED.matcher(line.replaceAll("'[^']*'", "''"));
        StringBuilder out = new StringBuilder();
        while (quoted.find()) {
            quoted.appendReplacement(out, quoted.group().contains("$(") ? Matcher.quoteReplacement(quoted.group())
                    : "\"\"");
        }
        quoted.appendTail(out);
        return REDIRECTION.matcher(out).replaceAll(" ");
    }
}
