package dev.kafkacoins.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkacoins.testsupport.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Step 1 of the README's walkthrough for real: {@code ./mvnw -Ppublish-images} pushes every image to an OCI
 * registry that speaks plain HTTP, as kind's local registry does, and what landed there is what a cluster pulls:
 * each image's name and tag, a manifest list with linux/amd64 and linux/arm64, each built on its own platform's
 * base, with the entrypoint, non-root user and ports the manifests expect. The registry is a real one started
 * here ({@link LocalRegistry}); the base is a stand-in pushed into it first ({@link StandInBaseImage}), because
 * no public registry is reachable from the build. One publish is inspected as a whole: it is the slow part.
 */
class ImagePushIT {

    private static final String TAG = "push-it";
    private static final List<String> PLATFORMS = List.of("amd64", "arm64");
    private static final String BASE = "stand-in/jre";
    private static final String MODULES = "services/rng,services/hasher,streams-aggregator/topology,"
            + "streams-aggregator/sink,webui,db-migrations";

    /** What each image must carry: its main class, heap, and the ports its pods use. */
    private record Expected(String name, String mainClass, String heap, Set<String> ports) {
    }

    private static final List<Expected> IMAGES = List.of(
            new Expected("rng", "dev.kafkacoins.rng.RngApplication", "128m", Set.of("8081/tcp")),
            new Expected("hasher", "dev.kafkacoins.hasher.HasherApplication", "128m", Set.of("8082/tcp")),
            new Expected("aggregator", "dev.kafkacoins.aggregator.AggregatorApplication", "256m", Set.of("8083/tcp")),
            new Expected("sink", "dev.kafkacoins.sink.SinkApplication", "192m", Set.of("8084/tcp")),
            new Expected("webui", "dev.kafkacoins.webui.WebuiApplication", "192m", Set.of("8480/tcp")),
            new Expected("db-migrations", "dev.kafkacoins.db.MigrationsApplication", "128m", Set.of()));

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void publishImagesPushesEveryImageForBothPlatformsToAPlainHttpRegistry() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(temp)) {
            // Given a registry over plain HTTP that holds a base for both platforms
            StandInBaseImage base = StandInBaseImage.write(temp.resolve("base"), "21", PLATFORMS);
            registry.skopeo("copy", "--all", "--quiet", "--dest-tls-verify=false",
                    "oci:" + temp.resolve("base") + ":21", "docker://" + registry.address() + "/" + BASE + ":21");

            // When the images are published there, as the README's first step does to kind's registry
            long started = System.nanoTime();
            publish(registry);
            System.out.printf("ImagePushIT: -Ppublish-images pushed %d images x %d platforms in %d s%n",
                    IMAGES.size(), PLATFORMS.size(), Duration.ofNanos(System.nanoTime() - started).toSeconds());

            // Then the registry holds exactly the six images and the base, each image under its tag
            List<String> repositories = new ArrayList<>();
            IMAGES.forEach(i -> repositories.add("kafkacoins/" + i.name()));
            repositories.add(BASE);
            assertThat(registry.repositories()).containsExactlyInAnyOrderElementsOf(repositories);
            for (Expected image : IMAGES) {
                String reference = "docker://" + registry.address() + "/kafkacoins/" + image.name();
                assertThat(registry.skopeoJson("list-tags", "--tls-verify=false", reference).path("Tags"))
                        .extracting(JsonNode::asText).as(image.name()).containsExactly(TAG);
                reference += ":" + TAG;

                // a manifest list, one image per platform
                JsonNode list = registry.skopeoJson("inspect", "--raw", "--tls-verify=false", reference);
                assertThat(list.path("mediaType").asText()).as(image.name()).isIn(StandInBaseImage.INDEX,
                        "application/vnd.docker.distribution.manifest.list.v2+json");
                assertThat(list.path("manifests")).extracting(m -> m.at("/platform/os").asText() + "/"
                        + m.at("/platform/architecture").asText()).as(image.name())
                        .containsExactlyInAnyOrder("linux/amd64", "linux/arm64");

                // each the way a node of that architecture resolves it
                for (String platform : PLATFORMS) {
                    JsonNode config = registry.skopeoJson("--override-os", "linux", "--override-arch", platform,
                            "inspect", "--config", "--tls-verify=false", reference);
                    String what = image.name() + " for linux/" + platform;
                    assertThat(config.path("architecture").asText()).as(what).isEqualTo(platform);
                    assertThat(config.at("/rootfs/diff_ids/0").asText()).as(what + ": on its platform's base")
                            .isEqualTo(base.layerDiffId(platform));
                    List<String> entrypoint = new ArrayList<>();
                    config.at("/config/Entrypoint").forEach(a -> entrypoint.add(a.asText()));
                    assertThat(entrypoint).as(what).startsWith("java", "-Xmx" + image.heap())
                            .endsWith(image.mainClass());
                    assertThat(config.at("/config/User").asText()).as(what).isEqualTo("65532:65532");
                    Set<String> ports = new TreeSet<>();
                    config.at("/config/ExposedPorts").fieldNames().forEachRemaining(ports::add);
                    assertThat(ports).as(what).isEqualTo(image.ports());
                }
            }
        }
    }

    /** The real command, from the repository's root, for the modules that build images (and what they need). */
    private void publish(LocalRegistry registry) {
        List<String> command = List.of(KubernetesManifestsTest.ROOT.resolve("mvnw").toString(),
                "--batch-mode", "--no-transfer-progress", "-Ppublish-images", "-DskipTests",
                "-pl", MODULES, "-am", "verify",
                "-Dimage.registry=" + registry.address() + "/kafkacoins", "-Dimage.tag=" + TAG,
                "-Dimage.base=" + registry.address() + "/" + BASE + ":21",
                // Jib's cache of base layers, kept out of the user's ~/.cache
                "-Djib.baseImageCache=" + temp.resolve("jib-base-cache"), "-Djib.console=plain");
        ChildProcess maven = ChildProcess.start("publish", command, KubernetesManifestsTest.ROOT, temp);
        int status;
        try {
            status = maven.awaitExit(Duration.ofMinutes(6));
        } catch (IllegalStateException timedOut) {
            throw new AssertionError("./mvnw -Ppublish-images did not finish within 6 minutes:\n" + maven.logTail(60),
                    timedOut);
        }
        assertThat(status).as("./mvnw -Ppublish-images exit status:\n%s", maven.logTail(60)).isZero();
    }
}
