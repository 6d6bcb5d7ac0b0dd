package dev.kafkacoins.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkacoins.testsupport.ChildProcess;
import dev.kafkacoins.testsupport.RequiredTool;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real OCI registry on 127.0.0.1, over plain HTTP like kind's local registry: the CNCF distribution that
 * Debian packages as {@code docker-registry}, started on a free port with its own configuration and storage in
 * a temporary folder. Debian's package also installs a system service on port 5000 with its own storage; this
 * never uses it. What landed is read back with {@code skopeo}, the way a kubelet's runtime would resolve it.
 */
final class LocalRegistry implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final Path folder;
    private final int port;
    private final ChildProcess process;

    private LocalRegistry(Path folder, int port, ChildProcess process) {
        this.folder = folder;
        this.port = port;
        this.process = process;
    }

    static LocalRegistry start(Path folder) throws IOException {
        String registry = tool("docker-registry");
        tool("skopeo");
        int port = ChildProcess.freePort();
        Path config = folder.resolve("registry.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                """.formatted(folder.resolve("storage"), port));
        ChildProcess process = ChildProcess.start("registry", List.of(registry, "serve", config.toString()), null,
                folder);
        LocalRegistry started = new LocalRegistry(folder, port, process);
        HttpClient http = HttpClient.newHttpClient();
        await("the registry on 127.0.0.1:" + port + " answers /v2/ (its log: " + folder.resolve("registry.log") + ")")
                .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .failFast(() -> !process.isAlive())
                .ignoreExceptions().until(() -> http.send(HttpRequest.newBuilder(started.uri("/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        return started;
    }

    /** host:port, as an image reference's registry part. */
    String address() {
        return "127.0.0.1:" + port;
    }

    /** The registry's repositories, from its catalog. */
    List<String> repositories() throws IOException, InterruptedException {
        HttpResponse<String> catalog = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(uri("/v2/_catalog")).build(), HttpResponse.BodyHandlers.ofString());
        List<String> names = new ArrayList<>();
        JSON.readTree(catalog.body()).path("repositories").forEach(r -> names.add(r.asText()));
        return names;
    }

    /** Runs skopeo and returns its output, parsed as JSON. */
    JsonNode skopeoJson(String... arguments) throws IOException, InterruptedException {
        return JSON.readTree(skopeo(arguments));
    }

    /** Runs skopeo and returns its output; a non-zero exit fails with that output. */
    String skopeo(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(tool("skopeo")));
        command.addAll(List.of(arguments));
        ChildProcess skopeo = ChildProcess.start("skopeo", command, null, folder);
        int status = skopeo.awaitExit(Duration.ofSeconds(60));
        String output = Files.readString(skopeo.log());
        assertThat(status).as("skopeo %s: %s", command, output).isZero();
        return output;
    }

    @Override
    public void close() {
        process.stop();
    }

    private URI uri(String path) {
        return URI.create("http://" + address() + path);
    }

    /** A program from the PATH: CI installs Debian's packages {@code docker-registry} and {@code skopeo}. */
    static String tool(String name) {
        return RequiredTool.onPath(name, "this test needs Debian's packages docker-registry and skopeo "
                + "(apt-get install -y docker-registry skopeo)").path().toString();
    }

    Path folder() {
        return folder;
    }
}
