package dev.kafkacoins.sink;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/** What the sink is doing now, for its health endpoint: writing normally, or retrying a database that is away. */
final class SinkState {

    record Outage(Instant since, String lastError, int attempts) {
    }

    /** A hasher whose total in Kafka is below the one PostgreSQL keeps, since when. */
    record Behind(long stored, long offered, Instant since) {
    }

    private final AtomicReference<Outage> outage = new AtomicReference<>();
    private final Map<String, Behind> totalsBehind = new ConcurrentHashMap<>();
    private volatile Instant lastCommit;

    void committed() {
        outage.set(null);
        lastCommit = Instant.now();
    }

    void failed(Exception error) {
        outage.updateAndGet(o -> o == null ? new Outage(Instant.now(), error.getMessage(), 1)
                : new Outage(o.since(), error.getMessage(), o.attempts() + 1));
    }

    /**
     * Follows which hashers' totals went backwards: added when Kafka offers less than PostgreSQL has, removed once
     * a total for that hasher is applied again (it caught up, or an old replay was passed).
     *
     * @return the hashers newly found behind
     */
    java.util.List<String> totals(PostgresWriter.Outcome outcome) {
        outcome.totalsApplied().forEach(totalsBehind::remove);
        java.util.List<String> fresh = new java.util.ArrayList<>();
        for (PostgresWriter.TotalBehind b : outcome.behind()) {
            Behind before = totalsBehind.get(b.hasher());
            if (before == null) {
                fresh.add(b.hasher());
            }
            totalsBehind.put(b.hasher(), new Behind(b.stored(), b.offered(), before == null ? Instant.now() : before.since()));
        }
        return fresh;
    }

    Map<String, Behind> totalsBehind() {
        return new TreeMap<>(totalsBehind);
    }

    Outage outage() {
        return outage.get();
    }

    Instant lastCommit() {
        return lastCommit;
    }
}
