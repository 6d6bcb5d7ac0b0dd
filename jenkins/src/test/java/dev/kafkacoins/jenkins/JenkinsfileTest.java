package dev.kafkacoins.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kafkacoins.jenkins.PipelineHarness.Run;
import dev.kafkacoins.jenkins.PipelineHarness.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.codehaus.groovy.control.CompilationFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Jenkinsfile, run by {@link PipelineHarness} for a feature branch, main and a tag. */
class JenkinsfileTest {

    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    static final Path JENKINSFILE = ROOT.resolve("Jenkinsfile");

    static final List<String> STAGES = List.of("Checkout", "Build and unit tests", "Integration tests",
            "Verify manifests", "Publish images", "Deploy to staging", "Smoke test");

    private static final Map<String, String> MAIN = Map.of("BRANCH_NAME", "main");
    private static final Map<String, String> FEATURE = Map.of("BRANCH_NAME", "feature/faster-sink");
    private static final Map<String, String> TAG = Map.of("BRANCH_NAME", "v1.0.0", "TAG_NAME", "v1.0.0");

    @Test
    void onMainEveryStageRunsInOrderAndTheImagesAreTaggedWithTheCommit() throws Exception {
        Run run = PipelineHarness.run(JENKINSFILE, MAIN, sh -> false);
        assertThat(run.stages().keySet()).containsExactlyElementsOf(STAGES);
        assertThat(run.stages().values()).containsOnly(Status.RAN);
        assertThat(run.result()).isEqualTo("SUCCESS");
        assertThat(run.env()).containsEntry("IMAGE_TAG", "0123456789ab");
        assertThat(run.sh()).anyMatch(sh -> sh.startsWith("./mvnw -Ppublish-images"))
                .anyMatch(sh -> sh.equals("kubectl apply -k k8s/staging"))
                .noneMatch(sh -> sh.contains("rollout undo"));
    }

    @Test
    void offMainNothingIsPublishedOrDeployed() throws Exception {
        Run run = PipelineHarness.run(JENKINSFILE, FEATURE, sh -> false);
        assertThat(run.stages()).containsEntry("Checkout", Status.RAN).containsEntry("Integration tests", Status.RAN)
                .containsEntry("Verify manifests", Status.RAN).containsEntry("Publish images", Status.SKIPPED)
                .containsEntry("Deploy to staging", Status.SKIPPED).containsEntry("Smoke test", Status.SKIPPED);
        assertThat(run.steps()).noneMatch(s -> s.name().equals("withCredentials"));
        assertThat(run.sh()).noneMatch(sh -> sh.contains("publish-images") || sh.startsWith("kubectl apply"));
        assertThat(run.result()).isEqualTo("SUCCESS");
    }

    @Test
    void aTagIsPublishedAndDeployedUnderItsOwnName() throws Exception {
        Run run = PipelineHarness.run(JENKINSFILE, TAG, sh -> false);
        assertThat(run.stages().values()).containsOnly(Status.RAN);
        assertThat(run.env()).containsEntry("IMAGE_TAG", "v1.0.0");
    }

    @Test
    void aFailingSmokeTestRollsBackTheDeploymentAndFailsTheBuild() throws Exception {
        Run run = PipelineHarness.run(JENKINSFILE, MAIN, sh -> sh.startsWith("jenkins/smoke-test.sh"));
        assertThat(run.stages()).containsEntry("Deploy to staging", Status.RAN).containsEntry("Smoke test", Status.FAILED);
        assertThat(run.result()).isEqualTo("FAILURE");
        List<String> sh = run.sh();
        int smoke = sh.indexOf(sh.stream().filter(c -> c.startsWith("jenkins/smoke-test.sh")).findFirst().orElseThrow());
        assertThat(sh.subList(smoke + 1, sh.size())).singleElement().satisfies(undo -> assertThat(undo)
                .isEqualTo("for d in $DEPLOYMENTS; do kubectl -n $STAGING rollout undo deploy/$d; done"));
        assertThat(run.env()).containsEntry("DEPLOYMENTS", "rng hasher aggregator sink webui");
    }

    @Test
    void aBuildThatFailsBeforeDeployingRollsNothingBack() throws Exception {
        Run run = PipelineHarness.run(JENKINSFILE, MAIN, sh -> sh.startsWith("./mvnw -pl !k8s -Dtest=NONE"));
        assertThat(run.stages()).containsEntry("Integration tests", Status.FAILED)
                .containsEntry("Publish images", Status.NOT_REACHED).containsEntry("Smoke test", Status.NOT_REACHED);
        assertThat(run.result()).isEqualTo("FAILURE");
        assertThat(run.sh()).noneMatch(sh -> sh.contains("rollout undo"));
    }

    @Test
    void testReportsAreArchivedEvenWhenTestsFail() throws Exception {
        Run run = PipelineHarness.run(JENKINSFILE, FEATURE, sh -> sh.startsWith("./mvnw -DskipITs"));
        assertThat(run.steps()).filteredOn(s -> s.name().equals("junit")).extracting(PipelineHarness.Step::detail)
                .containsExactly("**/target/surefire-reports/*.xml");
        assertThat(PipelineHarness.run(JENKINSFILE, FEATURE, sh -> false).steps())
                .filteredOn(s -> s.name().equals("junit")).extracting(PipelineHarness.Step::detail)
                .containsExactly("**/target/surefire-reports/*.xml", "**/target/failsafe-reports/*.xml",
                        "k8s/target/*-reports/*.xml");
    }

    @Test
    void everyStageHasATimeoutOldBuildsAreDiscardedAndDeploymentsNeverOverlap() throws Exception {
        PipelineHarness.Pipeline pipeline = PipelineHarness.load(JENKINSFILE, new HashMap<>());
        assertThat(pipeline.options()).contains("disableConcurrentBuilds").anyMatch(o -> o.startsWith("timeout "))
                .anyMatch(o -> o.startsWith("buildDiscarder {numToKeepStr=30"));
        assertThat(pipeline.stages()).allSatisfy(stage -> assertThat(stage.options()).as(stage.name())
                .anyMatch(o -> o.matches("timeout \\d+ MINUTES")));
        assertThat(pipeline.stages()).filteredOn(s -> s.name().equals("Deploy to staging")).singleElement()
                .satisfies(stage -> assertThat(stage.options()).contains("lock kafkacoins-staging"));
    }

    @Test
    void thePublishedImagesAndRolledOutDeploymentsAreTheOnesTheManifestsHave() throws Exception {
        Map<String, String> env = PipelineHarness.load(JENKINSFILE, new HashMap<>()).environment();
        YAMLMapper yaml = new YAMLMapper();
        Set<String> images = new TreeSet<>();
        yaml.readTree(ROOT.resolve("k8s/components/images/kustomization.yaml").toFile()).path("images")
                .forEach(i -> images.add(i.path("name").asText().replace("kafkacoins/", "")));
        assertThat(new TreeSet<>(List.of(env.get("IMAGES").split(" ")))).isEqualTo(images);
        Set<String> deployments = new TreeSet<>();
        try (var files = Files.list(ROOT.resolve("k8s/base"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                for (JsonNode doc : yaml.readValues(yaml.createParser(file.toFile()), JsonNode.class).readAll()) {
                    if (doc != null && doc.path("kind").asText().equals("Deployment")
                            && doc.path("spec").has("selector")) {
                        deployments.add(doc.at("/metadata/name").asText());
                    }
                }
            }
        }
        assertThat(new TreeSet<>(List.of(env.get("DEPLOYMENTS").split(" ")))).isEqualTo(deployments);
    }

    @Test
    void credentialsComeFromJenkinsNeverFromTheRepository() throws Exception {
        Run run = PipelineHarness.run(JENKINSFILE, MAIN, sh -> false);
        assertThat(run.env()).containsEntry("IMAGE_REGISTRY", "credentials:kafkacoins-image-registry");
        assertThat(run.steps()).filteredOn(s -> s.name().equals("withCredentials"))
                .extracting(PipelineHarness.Step::detail).contains("usernamePassword kafkacoins-registry",
                        "file kafkacoins-staging-kubeconfig");
        // The registry password reaches Jib as a variable that Jenkins fills in and masks, not as text.
        assertThat(run.sh()).filteredOn(sh -> sh.contains("jib.to.auth")).singleElement()
                .satisfies(sh -> assertThat(sh).contains("-Djib.to.auth.password=$REGISTRY_PASSWORD"));
    }

    @Test
    void everyShellCommandUsesOnlyToolsItsContainerProvides() throws Exception {
        AgentPod pod = AgentPod.read(ROOT.resolve("jenkins/agent-pod.yaml"));
        for (Map<String, String> env : List.of(MAIN, FEATURE)) {
            for (PipelineHarness.Step step : PipelineHarness.run(JENKINSFILE, env, sh -> false).steps()) {
                if (step.name().equals("sh")) {
                    assertThat(pod.missingTools(step.container(), step.detail(), ROOT.resolve(step.dir())))
                            .as(step.stage() + ": " + step.detail()).isEmpty();
                }
            }
        }
    }

    @Test
    void theToolCheckCatchesACommandTheContainerDoesNotHave() throws Exception {
        AgentPod pod = AgentPod.read(ROOT.resolve("jenkins/agent-pod.yaml"));
        assertThat(pod.missingTools("maven", "docker build -t kafkacoins/rng . && ./mvnw verify", ROOT))
                .containsExactly("docker");
        assertThat(pod.missingTools("kubectl", "./mvnw verify", ROOT)).containsExactly("./mvnw");
        assertThat(pod.missingTools("maven", "jenkins/smoke-test.sh staging 180", ROOT))
                .containsExactlyInAnyOrder("curl", "jq");
    }

    @Test
    void aSyntaxErrorInTheJenkinsfileFailsTheLoad(@TempDir Path dir) throws Exception {
        String jenkinsfile = Files.readString(JENKINSFILE);
        Path broken = dir.resolve("Jenkinsfile");
        Files.writeString(broken, jenkinsfile.substring(0, jenkinsfile.lastIndexOf('}')));
        assertThatThrownBy(() -> PipelineHarness.load(broken, new HashMap<>()))
                .isInstanceOf(CompilationFailedException.class);

        Files.writeString(broken, jenkinsfile.replace("steps {", "stepz {"));
        assertThatThrownBy(() -> PipelineHarness.load(broken, new HashMap<>()))
                .hasMessageContaining("stepz");
    }
}
