package dev.kafkacoins.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Strimzi operator people install is the version whose model and CRD schemas the build validates the
 * manifests against: the root pom's strimzi-api.version, which the README and docs name and kind.sh reads.
 */
@Timeout(30)
class StrimziVersionTest {

    static final Pattern CHART_VERSION = Pattern.compile("strimzi-kafka-operator[^\\n]*?--version\\s+(\\S+)");

    @Test
    void everyInstallOfTheOperatorIsTheVersionTheBuildValidatesAgainst() throws Exception {
        String version = KubernetesManifestsTest.rootProperty("strimzi-api.version");
        List<String> problems = new ArrayList<>();
        int installs = 0;
        for (Path page : WalkthroughCommandsTest.pages()) {
            String text = Files.readString(page).replaceAll("\\\\\\n\\s*", " ");
            installs += countInstalls(text);
            problems.addAll(mismatches(KubernetesManifestsTest.ROOT.relativize(page).toString(), text, version));
        }
        assertThat(installs).as("operator installs in the README and docs").isGreaterThanOrEqualTo(2);
        assertThat(problems).isEmpty();
        String script = Files.readString(KubernetesManifestsTest.K8S.resolve("e2e/kind.sh"));
        assertThat(script).as("kind.sh reads the version from the pom")
                .contains("<strimzi-api.version>").contains("--version \"$strimzi_version\"");
        assertThat(script).doesNotContainPattern("--version\\s+[0-9]");
    }

    @Test
    void anInstallOfAnotherVersionOrAFloatingOneIsReported() {
        String text = """
                helm install strimzi-cluster-operator oci://quay.io/strimzi-helm/strimzi-kafka-operator --version 1.1.0
                kubectl create -f 'https://strimzi.io/install/latest?namespace=kafkacoins'
                """;
        assertThat(mismatches("seeded.md", text, "1.2.0")).containsExactly(
                "seeded.md installs Strimzi 1.1.0, the build validates against 1.2.0",
                "seeded.md installs Strimzi from install/latest, which floats; the build validates against 1.2.0");
    }

    static List<String> mismatches(String source, String text, String version) {
        List<String> problems = new ArrayList<>();
        Matcher chart = CHART_VERSION.matcher(text);
        while (chart.find()) {
            if (!chart.group(1).equals(version)) {
                problems.add(source + " installs Strimzi " + chart.group(1) + ", the build validates against " + version);
            }
        }
        if (text.contains("strimzi.io/install/latest")) {
            problems.add(source + " installs Strimzi from install/latest, which floats; the build validates against "
                    + version);
        }
        return problems;
    }

    private static int countInstalls(String text) {
        int count = 0;
        Matcher chart = CHART_VERSION.matcher(text);
        while (chart.find()) {
            count++;
        }
        return count;
    }
}
