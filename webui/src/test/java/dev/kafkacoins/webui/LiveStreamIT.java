package dev.kafkacoins.webui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkacoins.db.Schema;
import dev.kafkacoins.testsupport.RealPostgres;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;

/** /api/stream: one shared LISTEN/NOTIFY-driven source, fanned out to many clients over SSE. */
@Timeout(180)
class LiveStreamIT {

    @RegisterExtension
    static final RealPostgres POSTGRES = new RealPostgres();
    private static final ParameterizedTypeReference<ServerSentEvent<JsonNode>> EVENT = new ParameterizedTypeReference<>() {
    };

    private static ConfigurableApplicationContext webui;
    private static WebClient client;
    private static final AtomicLong hashes = new AtomicLong(1000);

    @BeforeAll
    static void start() throws Exception {
        WebuiRun.migrate(POSTGRES);
        WebuiRun.sql(POSTGRES, "INSERT INTO hasher_totals (hasher, hashes, coins, blocks, last_hashed_at, "
                + "last_created_at) VALUES ('h1-t0', 1000, 0, 1, now(), now())");
        webui = WebuiRun.start(POSTGRES, "--webui.heartbeat=1s");
        client = WebClient.create(WebuiRun.baseUrl(webui));
    }

    @AfterAll
    static void stop() {
        webui.close();
    }

    @Test
    void twoHundredClientsAllReceiveTheUpdateThatFollowsANotify() throws Exception {
        List<List<Long>> seen = new ArrayList<>();
        List<Disposable> clients = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            List<Long> totals = new CopyOnWriteArrayList<>();
            seen.add(totals);
            clients.add(client.get().uri("/api/stream").retrieve().bodyToFlux(EVENT)
                    .filter(e -> e.data() != null)
                    .subscribe(e -> totals.add(e.data().get("summary").get("hashes").asLong())));
        }
        try {
            // When the sink commits a batch and notifies
            long next = bump();

            // Then every client gets an update with the new total, from the one shared query
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(seen).allMatch(totals -> totals.contains(next)));
        } finally {
            clients.forEach(Disposable::dispose);
        }
    }

    @Test
    void aClientThatNeverReadsDoesNotStallTheOthers() throws Exception {
        try (Socket stuck = new Socket("127.0.0.1", Integer.parseInt(
                webui.getEnvironment().getProperty("local.server.port")))) {
            // A client that asks for the stream, then never reads a byte
            stuck.setReceiveBufferSize(1024);
            OutputStream out = stuck.getOutputStream();
            out.write("GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();

            List<Long> totals = new CopyOnWriteArrayList<>();
            Disposable reader = client.get().uri("/api/stream").retrieve().bodyToFlux(EVENT)
                    .filter(e -> e.data() != null)
                    .subscribe(e -> totals.add(e.data().get("summary").get("hashes").asLong()));
            try {
                for (int i = 0; i < 3; i++) {
                    long next = bump();
                    await().atMost(Duration.ofSeconds(15)).until(() -> totals.contains(next));
                }
            } finally {
                reader.dispose();
            }
        }
    }

    @Test
    void aBurstOfNotificationsBecomesAtMostOneEventPerSecond() throws Exception {
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        Disposable reader = client.get().uri("/api/stream").retrieve().bodyToFlux(EVENT)
                .filter(e -> e.data() != null).subscribe(e -> arrivals.add(System.nanoTime()));
        try {
            long start = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                bump();
            }
            await().pollInterval(Duration.ofMillis(100)).atMost(Duration.ofSeconds(10))
                    .until(() -> System.nanoTime() - start >= Duration.ofSeconds(4).toNanos());
            // 50 notifications in about a second, watched for 4 s: one event per 1 s sample tick at most, plus one
            // in flight. Each event waits for its own query after its tick, so gaps vary by the query time; a
            // burst would show as events well under a second apart.
            assertThat(arrivals).hasSizeBetween(1, 5);
            for (int i = 1; i < arrivals.size(); i++) {
                assertThat(arrivals.get(i) - arrivals.get(i - 1)).isGreaterThan(Duration.ofMillis(500).toNanos());
            }
        } finally {
            reader.dispose();
        }
    }

    @Test
    void aReconnectingClientGetsEverythingSinceItsLastEventFirst() throws Exception {
        WebuiRun.sql(POSTGRES, """
                INSERT INTO hash_rates (window_start, hasher, window_end, hashes, coins, blocks, last_created_at)
                VALUES (date_trunc('second', now()) - interval '60 seconds', 'h1-t0',
                        date_trunc('second', now()) - interval '59 seconds', 777, 0, 1, now())""");
        long lastEventId = System.currentTimeMillis() - 90_000;

        ServerSentEvent<JsonNode> first = client.get().uri("/api/stream").header("Last-Event-ID",
                Long.toString(lastEventId)).retrieve().bodyToFlux(EVENT).filter(e -> e.data() != null)
                .blockFirst(Duration.ofSeconds(20));

        assertThat(first.event()).isEqualTo("update");
        assertThat(first.id()).matches("\\d+");
        assertThat(first.data().get("since").asString()).isEqualTo(
                Instant.ofEpochMilli(lastEventId).toString());
        assertThat(first.data().get("points").findValuesAsString("hashes")).contains("777");
    }

    @Test
    void anIdleStreamCarriesHeartbeatComments() {
        // Read the wire, as a proxy between would see it: with webui.heartbeat=1s, at least two in 3.5 s
        assertThat(heartbeatsIn(Duration.ofMillis(3_500))).isGreaterThanOrEqualTo(2);
    }

    private static long heartbeatsIn(Duration watch) {
        return client.get().uri("/api/stream").retrieve()
                .bodyToFlux(DataBuffer.class)
                .take(watch)
                .map(buffer -> buffer.toString(StandardCharsets.UTF_8))
                .collectList().map(parts -> String.join("", parts).lines().filter(l -> l.equals(":heartbeat")).count())
                .block(Duration.ofSeconds(10));
    }

    /** What the sink does: new totals, then NOTIFY on the channel. */
    private static long bump() throws Exception {
        long next = hashes.addAndGet(100);
        WebuiRun.sql(POSTGRES, "UPDATE hasher_totals SET hashes = " + next + " WHERE hasher = 'h1-t0'; "
                + "NOTIFY " + Schema.NOTIFY_CHANNEL + ", '{\"rates\":0,\"totals\":1,\"coins\":0}'");
        return next;
    }
}
