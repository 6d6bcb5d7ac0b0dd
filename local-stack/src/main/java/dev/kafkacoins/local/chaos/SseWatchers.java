package dev.kafkacoins.local.chaos;

import dev.kafkacoins.local.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Dashboard viewers for the chaos run: clients of {@code GET /api/stream} that behave like a browser's
 * EventSource (reconnect a second after the stream breaks, sending {@code Last-Event-ID}) and keep every rate
 * point they are sent. At the end, each must hold every per-hasher second that PostgreSQL has for the time it
 * watched: killing the dashboard under them must cost a reconnect, never a gap in the chart.
 *
 * <p>Written on the JDK's HTTP client: an SSE client is a line reader over one long response, and no library
 * on the classpath offers a blocking EventSource with {@code Last-Event-ID}.
 */
final class SseWatchers implements AutoCloseable {

    private static final Duration RECONNECT = Duration.ofSeconds(1);
    /** The newest seconds are still being counted when the watch ends; they are not held against a viewer. */
    private static final Duration SETTLING = Duration.ofSeconds(15);
    private static final int MISSING_EXAMPLES = 5;

    private final URI stream;
    private final List<Viewer> viewers = new ArrayList<>();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private volatile boolean open = true;

    SseWatchers(int webuiPort, int count) {
        this.stream = URI.create("http://" + Ports.HOST + ":" + webuiPort + "/api/stream");
        for (int i = 0; i < count; i++) {
            Viewer viewer = new Viewer();
            viewers.add(viewer);
            threads.submit(() -> watch(viewer));
        }
    }

    /** What one viewer saw. */
    private static final class Viewer {
        final Set<String> points = ConcurrentHashMap.newKeySet();
        final AtomicInteger connects = new AtomicInteger();
        final AtomicInteger events = new AtomicInteger();
        volatile String lastEventId;
        volatile Instant firstSeen;
        volatile Instant lastSeen;
    }

    private void watch(Viewer viewer) {
        while (open) {
            HttpRequest.Builder request = HttpRequest.newBuilder(stream).header("Accept", "text/event-stream").GET();
            if (viewer.lastEventId != null) {
                request.header("Last-Event-ID", viewer.lastEventId);
            }
            try {
                HttpResponse<java.util.stream.Stream<String>> response = http.send(request.build(),
                        HttpResponse.BodyHandlers.ofLines());
                if (response.statusCode() == 200) {
                    viewer.connects.incrementAndGet();
                    read(viewer, response.body().iterator());
                } else {
                    response.body().close();
                }
            } catch (IOException | UncheckedIOException e) {
                // The dashboard is away (killed, restarting): try again, as a browser does.
            } catch (InterruptedException e) {
                return;
            }
            pause();
        }
    }

    private void read(Viewer viewer, Iterator<String> lines) {
        String id = null;
        String event = null;
        StringBuilder data = new StringBuilder();
        while (open && lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                if ("update".equals(event) && !data.isEmpty()) {
                    keep(viewer, json.readTree(data.toString()));
                    if (id != null) {
                        viewer.lastEventId = id;
                    }
                }
                id = null;
                event = null;
                data.setLength(0);
            } else if (line.startsWith("id:")) {
                id = line.substring(3).trim();
            } else if (line.startsWith("event:")) {
                event = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5));
            }
        }
    }

    private static void keep(Viewer viewer, JsonNode update) {
        for (JsonNode point : update.path("points")) {
            viewer.points.add(key(Instant.parse(point.path("t").asString()), point.path("hasher").asString()));
        }
        Instant at = Instant.parse(update.path("at").asString());
        if (viewer.firstSeen == null) {
            viewer.firstSeen = at;
        }
        viewer.lastSeen = at;
        viewer.events.incrementAndGet();
    }

    private static String key(Instant second, String hasher) {
        return second.toEpochMilli() / 1000 + "/" + hasher;
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT); // a browser's reconnection delay, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SSE events received so far by all viewers. */
    int events() {
        return viewers.stream().mapToInt(viewer -> viewer.events.get()).sum();
    }

    /** What the viewers saw, against what PostgreSQL holds for the seconds each of them watched. */
    record Report(int viewers, int reconnects, int events, int pointsExpected, int pointsMissing,
                  List<String> missingExamples) {
        boolean ok() {
            return viewers > 0 && events > 0 && pointsMissing == 0;
        }
    }

    Report report(Connection db) throws Exception {
        int reconnects = 0;
        int events = 0;
        int expected = 0;
        int missing = 0;
        List<String> examples = new ArrayList<>();
        try (PreparedStatement query = db.prepareStatement("SELECT window_start, hasher, updated_at FROM hash_rates"
                + " WHERE window_start >= ? AND window_start < ?")) {
            for (Viewer viewer : viewers) {
                reconnects += Math.max(0, viewer.connects.get() - 1);
                events += viewer.events.get();
                if (viewer.firstSeen == null) {
                    continue;
                }
                Instant until = viewer.lastSeen.minus(SETTLING);
                if (!until.isAfter(viewer.firstSeen)) {
                    continue;
                }
                query.setTimestamp(1, Timestamp.from(viewer.firstSeen));
                query.setTimestamp(2, Timestamp.from(until));
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        expected++;
                        if (!viewer.points.contains(key(rows.getTimestamp(1).toInstant(), rows.getString(2)))) {
                            missing++;
                            if (examples.size() < MISSING_EXAMPLES) {
                                // Enough to tell a late write from a dropped event: when the row was written,
                                // against the time this viewer watched.
                                examples.add(rows.getString(2) + "@" + rows.getTimestamp(1).toInstant()
                                        + " written " + rows.getTimestamp(3).toInstant() + " (viewer " + viewers.indexOf(viewer)
                                        + " watched " + viewer.firstSeen + ".." + viewer.lastSeen + ", "
                                        + viewer.connects.get() + " connects)");
                            }
                        }
                    }
                }
            }
        }
        return new Report(viewers.size(), reconnects, events, expected, missing, examples);
    }

    @Override
    public void close() throws InterruptedException {
        open = false;
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        http.close();
    }
}
