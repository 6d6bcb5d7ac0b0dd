package dev.kafkacoins.webui;

import java.time.Duration;
import java.time.Instant;

/**
 * Where the shared live source's next query starts reading: just before the last update it sent, not the clock.
 * <p>
 * A row reaches the page when a query sees it committed; a query anchored to the clock ("the last 10 s, and what
 * was written in them") drops every row that committed while the queries were failing for longer than that,
 * e.g. the sink's first writes after PostgreSQL came back while the webui's pool was still reconnecting. Anchored
 * to the last update sent, a run of failed queries only makes the next one read further back. The anchor is the
 * database's own clock ({@code now()} of that update's query), the same clock the sink's {@code updated_at} uses.
 */
final class UpdateCursor {

    private final Duration overlap;
    private final Duration furthest;
    private volatile Instant lastSent;

    /**
     * @param overlap  how far before the last update the next one reads (late windows, commits still in flight)
     * @param furthest the furthest back a query reads after a long outage: what the page can still show
     */
    UpdateCursor(Duration overlap, Duration furthest) {
        this.overlap = overlap;
        this.furthest = furthest;
    }

    /** Where the next query starts, at {@code now} (the webui's clock, only before the first update). */
    Instant since(Instant now) {
        Instant last = lastSent;
        Instant since = (last != null ? last : now).minus(overlap);
        Instant oldest = now.minus(furthest);
        return since.isBefore(oldest) ? oldest : since;
    }

    /** An update read up to {@code at} (database time) went out. */
    void sent(Instant at) {
        lastSent = at;
    }
}
