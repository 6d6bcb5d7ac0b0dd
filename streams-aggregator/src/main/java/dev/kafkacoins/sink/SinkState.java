package dev.kafkacoins.sink;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** What the sink is doing now, for its health endpoint: writing normally, or retrying a database that is away. */
final class SinkState {

    record Outage(Instant since, String lastError, int attempts) {
    }

    private final AtomicReference<Outage> outage = new AtomicReference<>();
    private volatile Instant lastCommit;

    void committed() {
        outage.set(null);
        lastCommit = Instant.now();
    }

    void failed(Exception error) {
        outage.updateAndGet(o -> o == null ? new Outage(Instant.now(), error.getMessage(), 1)
                : new Outage(o.since(), error.getMessage(), o.attempts() + 1));
    }

    Outage outage() {
        return outage.get();
    }

    Instant lastCommit() {
        return lastCommit;
    }
}
