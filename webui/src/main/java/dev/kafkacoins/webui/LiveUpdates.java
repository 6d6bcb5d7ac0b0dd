package dev.kafkacoins.webui;

import dev.kafkacoins.protocol.Schema;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * The one live source every SSE client shares. A single dedicated PostgreSQL connection LISTENs on the sink's
 * channel; each notification (at most one per second is acted on) triggers one query, and its result is
 * multicast to all clients. So 1,000 viewers still mean one LISTEN connection and at most one query per second.
 *
 * <p>A slow 10-second refresh runs beside the notifications; it only matters when they are unavailable (the
 * LISTEN connection is being re-established, with backoff) or when a notification was missed.
 *
 * <p>Each client gets its own view with {@code onBackpressureLatest}: a client that stops reading keeps only
 * the newest update buffered for itself and never slows the shared source or the other clients.
 */
@Component
class LiveUpdates implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(LiveUpdates.class);
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    static final Duration FALLBACK_REFRESH = Duration.ofSeconds(10);
    /**
     * Each live event repeats the last seconds' points (and every older one written in them), so a client that
     * missed one still has no gap.
     */
    static final Duration OVERLAP = Duration.ofSeconds(10);
    static final int NEWEST_COINS = 5;
    static final Duration LISTEN_MAX_BACKOFF = Duration.ofSeconds(5);

    private final ConnectionPool pool;
    private final DashboardQueries queries;
    private final CoinTraces traces;
    private final Sinks.Many<ApiModel.Update> updates = Sinks.many().multicast().directBestEffort();
    private final UpdateCursor cursor = new UpdateCursor(OVERLAP, ApiController.DEFAULT_RANGE);
    private volatile Disposable running;
    /** True while the LISTEN connection is established; false while it is being re-established. */
    private volatile boolean listening;

    LiveUpdates(ConnectionPool pool, DashboardQueries queries, CoinTraces traces) {
        this.pool = pool;
        this.queries = queries;
        this.traces = traces;
    }

    /** The live updates, for one client. */
    Flux<ApiModel.Update> live() {
        return updates.asFlux().onBackpressureLatest();
    }

    @Override
    public void start() {
        running = paced(notifications(), () -> queries.update(cursor.since(Instant.now()), NEWEST_COINS)
                        .doOnNext(update -> cursor.sent(update.at())),
                Schedulers.parallel())
                // Whatever else goes wrong, the shared source must not end for good: every client depends on it.
                .doOnError(e -> LOG.error("live updates failed; restarting them", e))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(10)))
                .subscribe(update -> {
                    traces.pushing(update.newestCoins(), updates.currentSubscriberCount());
                    updates.tryEmitNext(update);
                });
    }

    /**
     * The shared source's pace, on {@code timer}'s clock: at most one query per {@link #MIN_INTERVAL} however many
     * notifications arrive, one more every {@link #FALLBACK_REFRESH} even if none does, and a query that fails
     * skipped (the next tick asks again).
     */
    static <T> Flux<T> paced(Flux<?> notifications, Supplier<Mono<T>> query, Scheduler timer) {
        return Flux.<Object>merge(notifications, Flux.interval(Duration.ZERO, FALLBACK_REFRESH, timer))
                .sample(Flux.interval(MIN_INTERVAL, timer))
                // A query slower than a second (a loaded database, thousands of clients) must not overflow the
                // sampler: keep only the newest tick meanwhile, one query at a time.
                .onBackpressureLatest()
                .concatMap(tick -> Mono.defer(query)
                        .onErrorResume(e -> {
                            LOG.warn("live update query failed: {}", e.toString());
                            return Mono.empty();
                        }), 1);
    }

    /** NOTIFY payloads from a dedicated, unpooled connection; reconnects with backoff for ever. */
    private Flux<Object> notifications() {
        return Flux.usingWhen(pool.unwrap().create(),
                        connection -> {
                            PostgresqlConnection postgres = (PostgresqlConnection) connection;
                            return postgres.createStatement("LISTEN " + Schema.NOTIFY_CHANNEL).execute()
                                    .flatMap(PostgresqlResult::getRowsUpdated)
                                    .doOnComplete(() -> listening = true)
                                    .thenMany(postgres.getNotifications().map(n -> (Object) n))
                                    // When PostgreSQL restarts, the notifications just complete: without this
                                    // error nothing would retry, and LISTEN would be gone for good.
                                    .concatWith(Mono.error(() -> new IllegalStateException("LISTEN connection closed")));
                        },
                        connection -> connection.close())
                .doOnSubscribe(s -> LOG.info("listening on {}", Schema.NOTIFY_CHANNEL))
                .doOnError(e -> listening = false)
                // transientErrors: the back-off starts over once a connection has delivered, so a reconnect after
                // a long healthy run waits one second, not the maximum. The maximum is short: while PostgreSQL is
                // away an attempt costs one refused connection, and after it returns LISTEN is back within seconds
                // (with 30 s, NOTIFYs were lost for up to half a minute after an outage of that length).
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(LISTEN_MAX_BACKOFF)
                        .transientErrors(true)
                        .doBeforeRetry(r -> LOG.warn("LISTEN {} lost ({}); retrying", Schema.NOTIFY_CHANNEL,
                                r.failure().toString())));
    }

    /** For liveness: the shared source is subscribed (it never ends by itself), and whether LISTEN is up. */
    boolean alive() {
        Disposable subscription = running;
        return subscription != null && !subscription.isDisposed();
    }

    boolean listening() {
        return listening;
    }

    @Override
    public void stop() {
        Disposable subscription = running;
        if (subscription != null) {
            subscription.dispose();
        }
        updates.tryEmitComplete();
        running = null;
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }
}
