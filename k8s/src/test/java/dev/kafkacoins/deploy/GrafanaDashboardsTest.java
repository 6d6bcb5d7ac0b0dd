package dev.kafkacoins.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kafkacoins.deploy.GrafanaDashboards.Query;
import dev.kafkacoins.testsupport.RequiredTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboards: each shipped by the monitoring component to Grafana's sidecar, each panel on the
 * dashboard's Prometheus variable (so any Grafana's Prometheus can be picked), and every query one Prometheus'
 * own parser accepts. A panel Grafana cannot run shows "parse error" where a graph should be, and nothing else
 * would tell before a cluster runs it.
 */
@Timeout(120)
class GrafanaDashboardsTest {

    static final Path ROOT = KubernetesManifestsTest.ROOT;
    static final Path COMPONENT = KubernetesManifestsTest.K8S.resolve("components/monitoring");
    static final String DATASOURCE = "${datasource}";

    @Test
    void everyDashboardIsAConfigMapForGrafanasSidecarInTheProductionOverlays() throws Exception {
        JsonNode kustomization = Manifests.read(COMPONENT.resolve("kustomization.yaml")).getFirst();
        List<String> generated = new ArrayList<>();
        kustomization.path("configMapGenerator").forEach(g -> g.path("files").forEach(f -> generated.add(f.asText())));
        assertThat(generated).as("the configMapGenerator's files").containsExactlyInAnyOrderElementsOf(
                GrafanaDashboards.files(ROOT).stream().map(f -> "dashboards/" + f.getFileName()).toList());
        assertThat(GrafanaDashboards.files(ROOT)).hasSize(2);
        for (String overlay : List.of("prod", "prod-cpu-hpa")) {
            Map<String, String> shipped = new LinkedHashMap<>();
            KubernetesManifestsTest.render(overlay).stream()
                    .filter(d -> d.path("kind").asText().equals("ConfigMap"))
                    .filter(d -> d.at("/metadata/labels/grafana_dashboard").asText().equals("1"))
                    .forEach(map -> map.path("data").properties().forEach(e -> shipped.put(e.getKey(),
                            e.getValue().asText())));
            for (Path file : GrafanaDashboards.files(ROOT)) {
                assertThat(shipped).as(overlay).containsEntry(file.getFileName().toString(), Files.readString(file));
            }
        }
    }

    @Test
    void eachPanelHasATitleThePrometheusVariableAndATargetWithAQuery() {
        int panels = 0;
        for (Path file : GrafanaDashboards.files(ROOT)) {
            JsonNode dashboard = GrafanaDashboards.read(file);
            assertThat(problems(dashboard)).as(file.getFileName().toString()).isEmpty();
            panels += GrafanaDashboards.panels(dashboard).size();
        }
        assertThat(panels).isGreaterThanOrEqualTo(20);
    }

    @Test
    void aPanelWithoutTitleOnAFixedDatasourceOrWithoutQueryIsNamed() {
        JsonNode dashboard = GrafanaDashboards.read(GrafanaDashboards.files(ROOT).getFirst());
        List<JsonNode> panels = GrafanaDashboards.panels(dashboard);
        String second = panels.get(1).path("title").asText();
        String third = panels.get(2).path("title").asText();
        ((ObjectNode) panels.get(0)).remove("title");
        ((ObjectNode) panels.get(1).path("datasource")).put("uid", "P1809F7CD0C75ACF3");
        ((ObjectNode) panels.get(2).path("targets").get(0)).put("expr", " ");
        assertThat(problems(dashboard)).containsExactly("panel 1: no title",
                "panel \"" + second + "\": datasource is {\"type\":\"prometheus\",\"uid\":\"P1809F7CD0C75ACF3\"}, not "
                        + DATASOURCE, "panel \"" + third + "\": target A has no expr");
    }

    @Test
    void everyQueryIsPromQlThatPrometheusParses(@TempDir Path scratch) throws Exception {
        List<Query> queries = GrafanaDashboards.queries(ROOT);
        assertThat(queries).hasSizeGreaterThanOrEqualTo(30);
        assertThat(refusedByPromtool(queries, scratch)).isEmpty();
    }

    @Test
    void aQueryPrometheusCannotParseIsNamedByDashboardAndPanel(@TempDir Path scratch) throws Exception {
        List<Query> queries = new ArrayList<>(GrafanaDashboards.queries(ROOT));
        Query seeded = new Query("kafkacoins-pipeline.json", "Blocks in", "sum(rate(kafkacoins_rng_blocks_total[1m])");
        queries.add(3, seeded);
        assertThat(refusedByPromtool(queries, scratch)).singleElement().asString()
                .startsWith("kafkacoins-pipeline.json, panel \"Blocks in\": " + seeded.expr() + ": ")
                .contains("unclosed left parenthesis");
    }

    /** What is wrong with the dashboard's panels, each problem naming its panel. */
    static List<String> problems(JsonNode dashboard) {
        List<String> problems = new ArrayList<>();
        boolean variable = false;
        for (JsonNode template : dashboard.at("/templating/list")) {
            variable |= template.path("name").asText().equals("datasource")
                    && template.path("type").asText().equals("datasource")
                    && template.path("query").asText().equals("prometheus");
        }
        if (!variable) {
            problems.add("no variable \"datasource\" of type datasource for Prometheus");
        }
        List<JsonNode> panels = GrafanaDashboards.panels(dashboard);
        for (int i = 0; i < panels.size(); i++) {
            JsonNode panel = panels.get(i);
            String title = panel.path("title").asText();
            String name = title.isBlank() ? "panel " + (i + 1) : "panel \"" + title + "\"";
            if (title.isBlank()) {
                problems.add(name + ": no title");
            }
            if (!onTheVariable(panel.path("datasource"))) {
                problems.add(name + ": datasource is " + panel.path("datasource") + ", not " + DATASOURCE);
            }
            if (panel.path("targets").isEmpty()) {
                problems.add(name + ": no target");
            }
            for (JsonNode target : panel.path("targets")) {
                String ref = target.path("refId").asText();
                if (target.path("expr").asText().isBlank()) {
                    problems.add(name + ": target " + ref + " has no expr");
                }
                // A target without a datasource uses its panel's; one with its own must be on the variable too.
                if (target.has("datasource") && !onTheVariable(target.path("datasource"))) {
                    problems.add(name + ": target " + ref + "'s datasource is " + target.path("datasource"));
                }
            }
        }
        return problems;
    }

    private static boolean onTheVariable(JsonNode datasource) {
        return datasource.isTextual() ? datasource.asText().equals(DATASOURCE)
                : datasource.path("uid").asText().equals(DATASOURCE)
                        && datasource.path("type").asText().equals("prometheus");
    }

    private static final Pattern REFUSED = Pattern.compile("rule 1, \"query_(\\d+)\": (.*)");

    /**
     * The queries promtool refuses, as "dashboard, panel: expr: why". Each is written as a recording rule, in a
     * group of its own, so promtool's message names the rule and so the query.
     */
    static List<String> refusedByPromtool(List<Query> queries, Path scratch) throws Exception {
        Path promtool = RequiredTool.onPath("promtool", "it parses the dashboards' queries with Prometheus' own "
                + "parser (Debian: apt-get install prometheus; or promtool from a Prometheus release)").path();
        List<Map<String, Object>> groups = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            groups.add(Map.of("name", "query " + i, "rules",
                    List.of(Map.of("record", "query_" + i, "expr", queries.get(i).expr()))));
        }
        Path rules = scratch.resolve("dashboard-queries.yaml");
        new YAMLMapper().writeValue(rules.toFile(), Map.of("groups", groups));
        Process process = new ProcessBuilder(promtool.toString(), "check", "rules", rules.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> refused = new ArrayList<>();
        Matcher matcher = REFUSED.matcher(output);
        while (matcher.find()) {
            Query query = queries.get(Integer.parseInt(matcher.group(1)));
            refused.add(query.dashboard() + ", panel \"" + query.panel() + "\": " + query.expr() + ": "
                    + matcher.group(2));
        }
        if (refused.isEmpty()) {
            assertThat(process.exitValue()).as(output).isZero();
        }
        return refused;
    }
}
