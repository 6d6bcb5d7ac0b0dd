package dev.kafkacoins.webui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkacoins.protocol.Schema;
import dev.kafkacoins.testsupport.RealPostgres;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.util.concurrent.TimeUnit;
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
import tools.jackson.databind.json.JsonMapper;

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
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

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
    void aClientThatStopsReadingGetsTheNewestUpdateWhenItResumesNotABacklog() throws Exception {
        // Large events from the first one on (hundreds of KB each), so the sockets' own buffers (the server's send
        // buffer is fixed at 32 KiB, this client's receive buffer is 1 KiB) and Netty's (unwritable above 64 KiB)
        // hold one or two of them, not the 20 sent below
        fillTheLastSecondsForManyHashers();
        List<Long> totals = new CopyOnWriteArrayList<>();
        AtomicLong bytesSent = new AtomicLong();
        // A client beside it that reads: every update it gets was sent to the slow client too. (Its decoder takes
        // events this large; WebClient's default stops at 256 KiB.)
        Disposable watcher = WebClient.builder().baseUrl(WebuiRun.baseUrl(webui))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build()
                .get().uri("/api/stream").retrieve().bodyToFlux(EVENT)
                .filter(e -> e.data() != null)
                .subscribe(e -> {
                    bytesSent.addAndGet(e.data().toString().length());
                    totals.add(e.data().get("summary").get("hashes").asLong());
                });
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(1024);
            slow.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(
                    webui.getEnvironment().getProperty("local.server.port"))));
            slow.getOutputStream().write("GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> !totals.isEmpty());

            // When it reads nothing while 20 updates go out, each seen by the reading client
            long last = 0;
            for (int i = 0; i < 20; i++) {
                fillTheLastSecondsForManyHashers();
                long next = bump();
                await().atMost(Duration.ofSeconds(30)).until(() -> totals.contains(next));
                last = next;
            }
            assertThat(bytesSent.get()).as("bytes of the updates sent meanwhile").isGreaterThan(3_000_000);

            // Then, reading again, it gets the newest total after at most the few events the buffers held: the
            // server kept no backlog for it (what it had queued is what it delivers now, before the newest)
            long newest = last;
            SseReader reader = new SseReader(slow.getInputStream());
            slow.setSoTimeout(30_000);
            int stale = 0;
            for (long total = reader.nextTotal(); total != newest; total = reader.nextTotal()) {
                stale++;
            }
            long staleBytes = reader.bytes();
            System.out.printf("SLOW CLIENT: %d older updates (%d bytes with the newest) before the newest, after "
                    + "%d bytes of updates went out without it reading%n", stale, staleBytes, bytesSent.get());
            assertThat(stale).as("older updates delivered before the newest").isLessThanOrEqualTo(4);
            assertThat(staleBytes).as("bytes delivered up to the newest, of %d sent", bytesSent.get())
                    .isLessThan(bytesSent.get() / 4);
        } finally {
            watcher.dispose();
            // The other tests' clients read events of the default size again
            WebuiRun.sql(POSTGRES, "DELETE FROM hash_rates WHERE hasher LIKE 'slow-client-hasher-%'");
        }
    }

    /** 300 hashers' windows over every second a live event repeats: each event is then about 200 KB. */
    private static void fillTheLastSecondsForManyHashers() throws Exception {
        WebuiRun.sql(POSTGRES, """
                INSERT INTO hash_rates (window_start, hasher, window_end, hashes, coins, blocks, last_created_at)
                SELECT date_trunc('second', now()) - make_interval(secs => s), 'slow-client-hasher-' || n,
                       date_trunc('second', now()) - make_interval(secs => s - 1), n, 0, 1, now()
                  FROM generate_series(1, 300) AS n, generate_series(0, 10) AS s
                ON CONFLICT DO NOTHING""");
    }

    /** Reads a raw HTTP/1.1 chunked SSE response: each update event's summary.hashes, in order. */
    private static final class SseReader {
        private final DataInputStream in;
        private final StringBuilder text = new StringBuilder();
        private boolean headersRead;
        private long bytes;

        SseReader(InputStream in) {
            this.in = new DataInputStream(new BufferedInputStream(in));
        }

        /** Bytes of event text read so far. */
        long bytes() {
            return bytes;
        }

        long nextTotal() throws IOException {
            while (true) {
                int end = text.indexOf("\n\n");
                if (end >= 0) {
                    String event = text.substring(0, end);
                    text.delete(0, end + 2);
                    for (String line : event.split("\n")) {
                        if (line.startsWith("data:")) {
                            return MAPPER.readTree(line.substring(5)).get("summary").get("hashes").asLong();
                        }
                    }
                    continue;
                }
                if (!headersRead) {
                    while (!line().isEmpty()) {
                        // status line and headers
                    }
                    headersRead = true;
                }
                int size = Integer.parseInt(line().trim(), 16);
                byte[] chunk = new byte[size];
                in.readFully(chunk);
                bytes += size;
                line();
                text.append(new String(chunk, StandardCharsets.UTF_8));
            }
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new EOFException("stream ended");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }
    }

    @Test
    void aQueryBehindALockTimesOutAndTheStreamServesTheNextUpdateOnceTheLockIsGone() throws Exception {
        List<Long> totals = new CopyOnWriteArrayList<>();
        Disposable reader = client.get().uri("/api/stream").retrieve().bodyToFlux(EVENT)
                .filter(e -> e.data() != null)
                .subscribe(e -> totals.add(e.data().get("summary").get("hashes").asLong()));
        HttpClient http = HttpClient.newHttpClient();
        URI summary = URI.create(WebuiRun.baseUrl(webui) + "/api/summary");
        try (Connection holder = POSTGRES.server().connect(RealPostgres.DATABASE)) {
            // Given a session holding a lock that every dashboard query waits for
            holder.setAutoCommit(false);
            holder.createStatement().execute("LOCK TABLE hasher_totals IN ACCESS EXCLUSIVE MODE");

            // Then a request gives up at the query timeout instead of waiting for the lock: the lock is still
            // held when it answers, so only the timeout can have ended it
            HttpResponse<String> response = http.sendAsync(HttpRequest.newBuilder(summary).build(),
                    HttpResponse.BodyHandlers.ofString()).get(60, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("Database unavailable");
            holder.rollback();
        }
        try {
            // And the live stream still delivers the next update
            long next = bump();
            await().atMost(Duration.ofSeconds(20)).until(() -> totals.contains(next));
        } finally {
            reader.dispose();
        }
    }

    @Test
    void aBurstOfNotificationsBecomesFewEventsInOrderEndingWithTheNewestTotal() throws Exception {
        // The pace itself (at most one query a second) is LiveUpdatesPacingTest's, on a virtual clock: here the
        // burst's outcome, which does not depend on how fast this machine sends it.
        List<Long> totals = new CopyOnWriteArrayList<>();
        Disposable reader = client.get().uri("/api/stream").retrieve().bodyToFlux(EVENT)
                .filter(e -> e.data() != null)
                .subscribe(e -> totals.add(e.data().get("summary").get("hashes").asLong()));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> !totals.isEmpty());
            int before = totals.size();
            long last = 0;
            for (int i = 0; i < 50; i++) {
                last = bump();
            }
            long newest = last;
            await().atMost(Duration.ofSeconds(30)).until(() -> totals.contains(newest));
            List<Long> seen = List.copyOf(totals);
            List<Long> burst = seen.subList(before, seen.indexOf(newest) + 1);
            System.out.printf("BURST: 50 notifications became %d events%n", burst.size());
            assertThat(burst).as("events for 50 notifications").hasSizeLessThan(50).isSorted();
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
    void aWindowWrittenLateReachesClientsAlreadyWatching() throws Exception {
        // Given a client watching the stream
        List<JsonNode> points = new CopyOnWriteArrayList<>();
        Disposable watching = client.get().uri("/api/stream").retrieve().bodyToFlux(EVENT)
                .filter(e -> e.data() != null)
                .subscribe(e -> e.data().get("points").forEach(points::add));
        try {
            // When the sink, back from an outage, writes a window of 45 s ago: older than any live event repeats
            WebuiRun.sql(POSTGRES, """
                    INSERT INTO hash_rates (window_start, hasher, window_end, hashes, coins, blocks, last_created_at)
                    VALUES (date_trunc('second', now()) - interval '45 seconds', 'h9-late',
                            date_trunc('second', now()) - interval '44 seconds', 4242, 0, 1, now());
                    NOTIFY %s, '{"rates":1,"totals":0,"coins":0}'""".formatted(Schema.NOTIFY_CHANNEL));

            // Then the watching client gets it, so its chart has no gap where the outage was
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(points)
                    .anySatisfy(p -> assertThat(p.get("hasher").asString() + "=" + p.get("hashes").asLong())
                            .isEqualTo("h9-late=4242")));
        } finally {
            watching.dispose();
        }
    }

    @Test
    void anIdleStreamCarriesHeartbeatComments() {
        // Read the wire, as a proxy between would see it (webui.heartbeat=1s here): comment lines, again and again
        List<String> heartbeats = client.get().uri("/api/stream").retrieve()
                .bodyToFlux(DataBuffer.class)
                .map(buffer -> buffer.toString(StandardCharsets.UTF_8))
                .flatMapIterable(part -> part.lines().filter(l -> l.startsWith(":")).toList())
                .take(3)
                .collectList()
                .block(Duration.ofSeconds(60));
        assertThat(heartbeats).containsExactly(":heartbeat", ":heartbeat", ":heartbeat");
    }

    /** What the sink does: new totals, then NOTIFY on the channel. */
    private static long bump() throws Exception {
        long next = hashes.addAndGet(100);
        WebuiRun.sql(POSTGRES, "UPDATE hasher_totals SET hashes = " + next + " WHERE hasher = 'h1-t0'; "
                + "NOTIFY " + Schema.NOTIFY_CHANNEL + ", '{\"rates\":0,\"totals\":1,\"coins\":0}'");
        return next;
    }
}
