package dev.kafkacoins.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kafkacoins.testsupport.RequiredTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules as Prometheus itself reads them: the PrometheusRule's spec written out as a rules file
 * ({@link AlertRules}), checked by {@code promtool check rules} and run by {@code promtool test rules} through the
 * cases of src/test/resources/alert-rules-test.yaml, where every alert fires on what it is for and stays quiet on
 * a healthy stack's restarts and pauses.
 */
@Timeout(120)
class AlertRulesTest {

    static final Path MANIFEST = AlertRules.manifest(KubernetesManifestsTest.ROOT);
    static final Path UNIT_TESTS = KubernetesManifestsTest.K8S.resolve("src/test/resources/alert-rules-test.yaml");

    @Test
    void promtoolAcceptsTheRulesFileWrittenFromThePrometheusRule(@TempDir Path scratch) throws Exception {
        Path rules = AlertRules.writeRulesFile(MANIFEST, scratch.resolve("alert-rules.yml"));
        assertThat(Manifests.read(rules)).singleElement().isEqualTo(AlertRules.spec(MANIFEST));
        // check rules also parses each annotation's template, which the unit tests leave out.
        promtool(scratch, "check", "rules", rules.getFileName().toString());
    }

    @Test
    void eachAlertFiresOnWhatItIsForAndNotOnAHealthyStacksRestartsAndPauses(@TempDir Path scratch)
            throws Exception {
        // promtool compares annotations word for word: the cases would repeat every sentence of the rules.
        JsonNode spec = AlertRules.spec(MANIFEST).deepCopy();
        spec.path("groups").forEach(g -> g.path("rules").forEach(r -> ((ObjectNode) r).remove("annotations")));
        AlertRules.write(spec, scratch.resolve("alert-rules.yml"));
        Files.copy(UNIT_TESTS, scratch.resolve(UNIT_TESTS.getFileName()));
        promtool(scratch, "test", "rules", UNIT_TESTS.getFileName().toString());
    }

    @Test
    void everyAlertHasAFiringAndAQuietCase() {
        Set<String> firing = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (JsonNode test : Manifests.read(UNIT_TESTS).getFirst().path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                (check.path("exp_alerts").isEmpty() ? quiet : firing).add(check.path("alertname").asText());
            }
        }
        assertThat(firing).as("alerts with a firing case").isEqualTo(alertNames());
        assertThat(quiet).as("alerts with a case where they stay quiet").isEqualTo(alertNames());
    }

    @Test
    void everyAlertSaysHowSevereItIsAndWhereToLook() {
        List<String> problems = new ArrayList<>();
        JsonNode groups = AlertRules.spec(MANIFEST).path("groups");
        assertThat(groups).extracting(g -> g.path("name").asText()).containsExactly("kafkacoins");
        for (JsonNode rule : groups.get(0).path("rules")) {
            String alert = rule.path("alert").asText();
            if (!Set.of("warning", "critical").contains(rule.at("/labels/severity").asText())) {
                problems.add(alert + ": severity is neither warning nor critical");
            }
            if (rule.at("/annotations/summary").asText().isBlank()) {
                problems.add(alert + ": no summary");
            }
            String description = rule.at("/annotations/description").asText();
            if (!description.contains("`./miner ") || !description.contains("`kubectl ")) {
                problems.add(alert + ": the description names no ./miner and no kubectl command");
            }
        }
        assertThat(problems).isEmpty();
        assertThat(alertNames()).hasSize(8);
    }

    private static Set<String> alertNames() {
        Set<String> names = new TreeSet<>();
        AlertRules.spec(MANIFEST).at("/groups/0/rules").forEach(r -> names.add(r.path("alert").asText()));
        return names;
    }

    /** promtool in {@code folder}, where the test file finds the rules file; a failure carries promtool's output. */
    private static void promtool(Path folder, String... arguments) throws Exception {
        Path promtool = RequiredTool.onPath("promtool", "it checks and unit-tests the alert rules (Debian: apt-get "
                + "install prometheus)").path();
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + " said:\n" + output).isZero();
    }
}
