package dev.kafkacoins.webui;

import dev.kafkacoins.protocol.Schema;
import dev.kafkacoins.testsupport.ChildJvm;
import dev.kafkacoins.testsupport.RealPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * A load program (not a test): one webui in a JVM of its own, N SSE clients on loopback from this JVM, one
 * NOTIFY a second for a while. Prints, per N: how many clients received every update, and the webui's memory
 * (resident set and heap after a full GC) over its idle baseline, per client.
 * Run: {@code ./mvnw -q -pl webui validate exec:exec@sse-bench [-Dbench.clients=1000,2000,4000]}.
 */
public final class SseLoadBench {

    private static final int UPDATES = 10;

    public static void main(String[] args) throws Exception {
        List<Integer> steps = new ArrayList<>();
        for (String n : System.getProperty("bench.clients", "1000").split(",")) {
            steps.add(Integer.parseInt(n.trim()));
        }
        RealPostgres postgres = new RealPostgres();
        postgres.beforeAll(null);
        WebuiRun.migrate(postgres);
        WebuiRun.sql(postgres, "INSERT INTO hasher_totals (hasher, hashes, coins, blocks, last_hashed_at, "
                + "last_created_at) VALUES ('h1-t0', 0, 0, 0, now(), now())");
        int port = 18_000 + (int) (ProcessHandle.current().pid() % 1000);
        try (ChildJvm webui = ChildJvm.start("webui-bench", WebuiApplication.class, List.of("--server.port=" + port,
                "--spring.r2dbc.url=" + postgres.jdbcUrl().replace("jdbc:", "r2dbc:"),
                "--spring.r2dbc.username=" + postgres.server().username(),
                "--spring.r2dbc.password=" + postgres.server().password()), Path.of("target", "bench-logs"))) {
            String base = "http://127.0.0.1:" + port;
            awaitUp(base);
            Memory idle = memory(webui, base);
            System.out.printf("idle webui: rss %.1f MiB, heap %.1f MiB%n", idle.rssMiB(), idle.heapMiB());
            for (int clients : steps) {
                run(clients, base, webui, idle, postgres);
            }
        } finally {
            postgres.afterAll(null);
        }
        System.exit(0);
    }

    private static void run(int clients, String base, ChildJvm webui, Memory idle, RealPostgres postgres)
            throws Exception {
        ConnectionProvider connections = ConnectionProvider.builder("sse-bench").maxConnections(clients + 10)
                .pendingAcquireMaxCount(clients * 2).build();
        WebClient web = WebClient.builder().baseUrl(base).clientConnector(
                new ReactorClientHttpConnector(HttpClient.create(connections))).build();
        AtomicLongArray received = new AtomicLongArray(clients);
        List<Disposable> streams = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int n = i;
            streams.add(web.get().uri("/api/stream").retrieve()
                    .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                    .filter(e -> e.data() != null && e.data().contains("\"hashes\":" + 1_000_000))
                    .subscribe(e -> received.incrementAndGet(n), e -> { }));
        }
        waitMillis(5_000);   // connections established
        for (int u = 1; u <= UPDATES; u++) {
            WebuiRun.sql(postgres, "UPDATE hasher_totals SET hashes = " + (u == UPDATES ? 1_000_000 : u)
                    + "; NOTIFY " + Schema.NOTIFY_CHANNEL + ", '{}'");
            waitMillis(1_100);
        }
        waitMillis(5_000);
        Memory loaded = memory(webui, base);
        int complete = 0;
        for (int i = 0; i < clients; i++) {
            if (received.get(i) > 0) {
                complete++;
            }
        }
        System.out.printf("SSE BENCH: %d clients, %d received the final update; webui rss +%.1f MiB (%.1f KiB/client), "
                        + "heap +%.1f MiB (%.1f KiB/client)%n", clients, complete, loaded.rssMiB() - idle.rssMiB(),
                (loaded.rssMiB() - idle.rssMiB()) * 1024 / clients, loaded.heapMiB() - idle.heapMiB(),
                (loaded.heapMiB() - idle.heapMiB()) * 1024 / clients);
        streams.forEach(Disposable::dispose);
        connections.disposeLater().block(Duration.ofSeconds(30));
        waitMillis(3_000);
    }

    private record Memory(double rssMiB, double heapMiB) {
    }

    /** Resident set from /proc, and heap after a full GC (jcmd) from the actuator. */
    private static Memory memory(ChildJvm webui, String base) throws Exception {
        new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(webui.pid()), "GC.run").inheritIO().start().waitFor();
        double rss = Files.readAllLines(Path.of("/proc", Long.toString(webui.pid()), "status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
                .findFirst().orElse(0) / 1024.0;
        String heap = get(base + "/actuator/metrics/jvm.memory.used?tag=area:heap");
        double used = Double.parseDouble(heap.replaceAll(".*\"value\":([0-9.E]+).*", "$1"));
        return new Memory(rss, used / (1024 * 1024));
    }

    private static void awaitUp(String base) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (get(base + "/actuator/health").contains("UP")) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            waitMillis(500);
        }
        throw new IllegalStateException("webui did not start");
    }

    private static String get(String url) throws Exception {
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        }
    }

    /** A load program paces itself; it is not a test waiting for a condition. */
    private static void waitMillis(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    private SseLoadBench() {
    }
}
