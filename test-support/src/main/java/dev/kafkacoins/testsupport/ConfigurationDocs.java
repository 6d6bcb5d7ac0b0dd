package dev.kafkacoins.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docs/configuration.md} against the configuration metadata that {@code spring-boot-configuration-processor}
 * generated for a module: every setting the module has is documented, with a description in its javadoc, and every
 * setting the page documents under one of the module's prefixes exists. So the settings reference cannot drift
 * from the {@code @ConfigurationProperties} records, in either direction.
 */
public final class ConfigurationDocs {

    public static final String PAGE = "docs/configuration.md";
    /** Where the processor writes the metadata, relative to the module (the tests' working directory). */
    public static final Path METADATA = Path.of("target", "classes", "META-INF", "spring-configuration-metadata.json");

    /** A table row whose first cell holds settings in backticks: {@code | `rng.mode` | ...}. */
    private static final Pattern ROW = Pattern.compile("(?m)^\\|([^|]*`[^|]*)\\|");
    private static final Pattern KEY = Pattern.compile("`([^`]+)`");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ConfigurationDocs() {
    }

    /** The module's prefixes (its records' {@code @ConfigurationProperties}) and settings with their descriptions. */
    public record Metadata(Set<String> prefixes, Set<String> settings, Set<String> undescribed) {

        public static Metadata read(Path json) throws IOException {
            JsonNode root = JSON.readTree(Files.readString(json));
            Set<String> prefixes = new TreeSet<>();
            root.path("groups").forEach(group -> prefixes.add(group.path("name").asString()));
            Set<String> settings = new TreeSet<>();
            Set<String> undescribed = new TreeSet<>();
            root.path("properties").forEach(property -> {
                String name = property.path("name").asString();
                settings.add(name);
                if (property.path("description").asString("").isBlank()) {
                    undescribed.add(name);
                }
            });
            return new Metadata(prefixes, settings, undescribed);
        }

        boolean owns(String key) {
            return prefixes.stream().anyMatch(prefix -> key.startsWith(prefix + "."));
        }
    }

    /** Every key in backticks in the first cell of a table row of the page. */
    public static Set<String> documented(String page) {
        Set<String> keys = new TreeSet<>();
        Matcher row = ROW.matcher(page);
        while (row.find()) {
            Matcher key = KEY.matcher(row.group(1));
            while (key.find()) {
                keys.add(key.group(1));
            }
        }
        return keys;
    }

    /** What is wrong, one line each; empty when the page and the metadata agree. */
    public static List<String> mismatches(Metadata metadata, Set<String> documented) {
        List<String> problems = new ArrayList<>();
        if (metadata.settings().isEmpty()) {
            problems.add("the configuration metadata has no settings: is spring-boot-configuration-processor "
                    + "configured for this module?");
        }
        for (String setting : metadata.settings()) {
            if (!documented.contains(setting)) {
                problems.add(setting + " is a setting of this module, but " + PAGE + " does not document it");
            }
        }
        for (String key : documented) {
            if (metadata.owns(key) && !metadata.settings().contains(key)) {
                problems.add(PAGE + " documents " + key + ", which is not a setting of this module");
            }
        }
        for (String setting : metadata.undescribed()) {
            problems.add(setting + " has no description: give its record component a javadoc @param");
        }
        return problems;
    }

    /** Fails, naming each mismatch, unless the page documents exactly the module's settings. */
    public static void assertDocumented() throws IOException {
        List<String> problems = mismatches(Metadata.read(METADATA), documented(Files.readString(page())));
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("\n", problems));
        }
    }

    /** The page, found from the module's directory upwards, wherever the module sits in the tree. */
    public static Path page() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(PAGE))) {
                return dir.resolve(PAGE);
            }
        }
        throw new IllegalStateException("no " + PAGE + " above " + Path.of("").toAbsolutePath());
    }
}
