package dev.kafkacoins.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkacoins.local.supervisor.Leftovers;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./miner} as a user runs it, from the repository root: up with two hashers, a hash rate on the dashboard's
 * API, scale to three, kill one and see the supervisor restart it, kill PostgreSQL's server and see it come back,
 * down, up again ({@code --no-restart}) with the wallet intact, a killed process that stays dead, down, and nothing
 * left running.
 */
class MinerIT {

    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Path work;
    private Path data;
    private int base;
    private Process up;

    @BeforeEach
    void setUp() throws IOException {
        work = Files.createDirectories(Path.of("target", "miner-it").toAbsolutePath());
        data = work.resolve("data");
        base = freePortBase();
    }

    @AfterEach
    void tearDown() throws Exception {
        // Whatever happened, leave nothing running.
        miner("down");
        if (up != null) {
            up.destroyForcibly();
        }
        Leftovers.end(Leftovers.find(layout()), Duration.ofSeconds(10));
    }

    @Test
    @Timeout(value = 9, unit = TimeUnit.MINUTES)
    void upScaleKillDownUpKeepsTheWalletAndLeavesNothingBehind() throws Exception {
        up = startUp(work.resolve("up-1.log"), "--fresh", "--hashers", "2", "--difficulty", "18");
        awaitAllUp(up, work.resolve("up-1.log"));

        await("hash rate > 0 on /api/summary").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> api("/api/summary").path("rate").asDouble() > 0);
        await("two hashers in the group").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> api("/api/group").path("members").size() == 2);

        Result scale = miner("scale", "hasher=3");
        assertThat(scale.status()).as(scale.output()).isZero();
        assertThat(scale.output()).contains("started hasher-3").contains("3 hashers running");
        await("three members in the group").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> api("/api/group").path("members").size() == 3);

        // A kill is a fault, not a stop: the supervisor starts the hasher again after its back-off.
        Result kill = miner("kill", "hasher");
        assertThat(kill.status()).as(kill.output()).isZero();
        assertThat(kill.output()).containsPattern("killed hasher-[123] \\(pid \\d+\\) with SIGKILL");
        String killed = kill.output().split(" ")[1];
        await(killed + " restarted and ready").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> process(status(), killed).path("state").asString().equals("ready"));
        JsonNode restarted = process(status(), killed);
        assertThat(restarted.path("restarts").asInt()).isEqualTo(1);
        assertThat(restarted.path("lastExit").path("status").asInt()).isEqualTo(137);
        assertThat(restarted.path("lastExit").path("signal").asString()).isEqualTo("SIGKILL");
        assertThat(restarted.path("lastExit").path("cause").asString()).isEqualTo("./miner kill");
        assertThat(miner("status").output()).containsPattern(killed + " .* ready .* 1  137 SIGKILL at ");
        await("three members in the group again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> api("/api/group").path("members").size() == 3);

        // Killing PostgreSQL kills its server, not only the JVM that started it; it comes back the same way.
        long server = Leftovers.postmaster(layout()).orElseThrow().pid();
        Result killDatabase = miner("kill", "postgres");
        assertThat(killDatabase.status()).as(killDatabase.output()).isZero();
        assertThat(killDatabase.output()).contains("and its server (postmaster pid " + server);
        assertThat(ProcessHandle.of(server).filter(ProcessHandle::isAlive)).as("the postmaster is dead").isEmpty();
        await("postgres restarted with a new server").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> process(status(), "postgres").path("state").asString().equals("ready")
                        && Leftovers.postmaster(layout()).map(p -> p.pid() != server).orElse(false));
        long hashesAfterCrash = api("/api/summary").path("hashes").asLong();
        await("the sink writes again after the database's crash").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> api("/api/summary").path("hashes").asLong() > hashesAfterCrash);

        await("coins in the wallet").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> api("/api/summary").path("coins").asLong() > 0);
        JsonNode before = api("/api/summary");
        List<Long> pids = pids(status());
        long postmaster = Leftovers.postmaster(layout()).orElseThrow().pid();

        Result down = miner("down");
        assertThat(down.status()).as(down.output()).isZero();
        assertThat(up.waitFor(60, TimeUnit.SECONDS)).as("the up process ends after down").isTrue();
        assertThat(up.exitValue()).isZero();
        assertNothingLeft(pids, postmaster);

        up = startUp(work.resolve("up-2.log"), "--hashers", "1", "--difficulty", "18", "--no-restart");
        awaitAllUp(up, work.resolve("up-2.log"));
        JsonNode after = api("/api/summary");
        assertThat(after.path("hashes").asLong()).as("hashes kept across down and up")
                .isGreaterThanOrEqualTo(before.path("hashes").asLong());
        assertThat(after.path("coins").asLong()).as("coins kept across down and up")
                .isGreaterThanOrEqualTo(before.path("coins").asLong());
        await("mining resumes").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> api("/api/summary").path("hashes").asLong() > after.path("hashes").asLong());

        // --no-restart: a lab that wants the corpse keeps it.
        assertThat(miner("kill", "rng").status()).isZero();
        await("rng stays dead").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(500)).until(() -> process(status(), "rng").path("state").asString()
                        .equals("killed (./miner kill)"));
        assertThat(process(status(), "rng").path("restarts").asInt()).isZero();

        List<Long> pids2 = pids(status());
        long postmaster2 = Leftovers.postmaster(layout()).orElseThrow().pid();
        assertThat(miner("down").status()).isZero();
        assertThat(up.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertNothingLeft(pids2, postmaster2);
        String log = Files.readString(work.resolve("up-2.log"));
        assertThat(log).contains("first coin on the dashboard");
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void aPortInUseIsNamedWithTheFlagThatMovesIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(base + 92, 1, java.net.InetAddress.getLoopbackAddress())) {
            Process process = startUp(work.resolve("port.log"));
            assertThat(process.waitFor(40, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(1);
            assertThat(Files.readString(work.resolve("port.log"))).contains("miner: port " + (base + 92)
                    + " (kafka) is in use on 127.0.0.1: stop what holds it, or choose another with --kafka-port");
        }
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void freshRefusesADirectoryThatIsNotAMinerDataDirectory() throws Exception {
        Path home = Files.createDirectories(work.resolve("someones-home"));
        Files.writeString(home.resolve("notes.txt"), "keep me\n");
        Path log = work.resolve("fresh.log");
        Process process = new ProcessBuilder(HOME.resolve("miner").toString(), "--data-dir", home.toString(), "up",
                "--fresh", "--port-base", Integer.toString(base)).directory(HOME.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertThat(process.waitFor(40, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(Files.readString(log).strip()).isEqualTo("miner: " + home + " is not empty and has no "
                + DataDirectory.MARKER + ", so it is not a miner data directory: pass an empty or new directory with "
                + "--data-dir (or MINER_DATA)");
        assertThat(home.resolve("notes.txt")).hasContent("keep me");
    }

    private record Result(int status, String output) {
    }

    private Process startUp(Path log, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(HOME.resolve("miner").toString(), "--data-dir", data.toString(),
                "up", "--port-base", Integer.toString(base)));
        command.addAll(List.of(options));
        return new ProcessBuilder(command).directory(HOME.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    private static void awaitAllUp(Process up, Path log) {
        await("./miner up reports all up").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    String output = Files.readString(log);
                    assertThat(up.isAlive()).as("./miner up ended early:\n%s", output).isTrue();
                    return output.contains("all up in");
                });
    }

    private Result miner(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(HOME.resolve("miner").toString(), "--data-dir", data.toString()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile(work, "miner", ".out");
        Process process = new ProcessBuilder(command).directory(HOME.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        if (!process.waitFor(4, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("./miner " + String.join(" ", args) + " did not finish");
        }
        return new Result(process.exitValue(), Files.readString(output));
    }

    private JsonNode status() throws Exception {
        Result status = miner("status", "--json");
        assertThat(status.status()).as(status.output()).isZero();
        return JSON.readTree(status.output());
    }

    private static List<JsonNode> processes(JsonNode status, String state) {
        List<JsonNode> matching = new ArrayList<>();
        status.path("processes").forEach(p -> {
            if (p.path("state").asString().equals(state)) {
                matching.add(p);
            }
        });
        return matching;
    }

    private static JsonNode process(JsonNode status, String name) {
        for (JsonNode p : status.path("processes")) {
            if (p.path("name").asString().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no process " + name + " in " + status);
    }

    private static List<Long> pids(JsonNode status) {
        List<Long> pids = new ArrayList<>();
        status.path("processes").forEach(p -> pids.add(p.path("pid").asLong()));
        return pids;
    }

    private void assertNothingLeft(List<Long> pids, long postmaster) {
        assertThat(pids).isNotEmpty();
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("process %d still running", pid)
                    .isEmpty();
        }
        assertThat(ProcessHandle.of(postmaster).filter(ProcessHandle::isAlive)).as("PostgreSQL still running").isEmpty();
        assertThat(Leftovers.find(layout())).isEmpty();
        assertThat(Ports.isFree(base + 92)).as("kafka's port is free").isTrue();
        assertThat(Ports.isFree(base + 80)).as("the dashboard's port is free").isTrue();
    }

    private JsonNode api(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + (base + 80) + path)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : JSON.missingNode();
        } catch (Exception e) {
            return JSON.missingNode();
        }
    }

    private StackLayout layout() {
        return new StackLayout(HOME, data);
    }

    /**
     * A base whose ports are all free here, below Linux's ephemeral range so no client socket takes one, and
     * below 30000, where hand-started stacks beside the build are told to put theirs.
     */
    private static int freePortBase() {
        return IntStream.iterate(20000, b -> b < 30000, b -> b + 1000)
                .filter(b -> b != 26000 && b != 27000) // ./miner chaos and bench default to these
                .filter(b -> Ports.from(b, null, null, null).uses(8).stream().allMatch(u -> Ports.isFree(u.port())))
                .findFirst().orElseThrow(() -> new AssertionError("no free port range between 20000 and 30000"));
    }
}
