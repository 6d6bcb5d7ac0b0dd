package dev.kafkacoins.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Grafana dashboards of {@code k8s/components/monitoring/dashboards}, and the PromQL each panel runs: what a
 * check of the queries' syntax, or of their answers from a running Prometheus, goes through.
 */
public final class GrafanaDashboards {

    /** Where the dashboards are, relative to the repository's root. */
    public static final Path FOLDER = Path.of("k8s", "components", "monitoring", "dashboards");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One target of one panel: {@code dashboard} is the file's name. */
    public record Query(String dashboard, String panel, String expr) {
    }

    private GrafanaDashboards() {
    }

    /** Every dashboard file, by name. */
    public static List<Path> files(Path repoRoot) {
        try (Stream<Path> files = Files.list(repoRoot.resolve(FOLDER))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + repoRoot.resolve(FOLDER), e);
        }
    }

    public static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    /** Every panel, those inside a collapsed row included (Grafana nests them in the row's own panels). */
    public static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                panel.path("panels").forEach(panels::add);
            } else {
                panels.add(panel);
            }
        }
        return panels;
    }

    /** Every panel's every {@code expr}, in the dashboards' order. */
    public static List<Query> queries(Path repoRoot) {
        List<Query> queries = new ArrayList<>();
        for (Path file : files(repoRoot)) {
            for (JsonNode panel : panels(read(file))) {
                for (JsonNode target : panel.path("targets")) {
                    queries.add(new Query(file.getFileName().toString(), panel.path("title").asText(),
                            target.path("expr").asText()));
                }
            }
        }
        return queries;
    }
}
