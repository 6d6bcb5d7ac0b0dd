package dev.kafkacoins.webui;

import dev.kafkacoins.protocol.Coin;
import dev.kafkacoins.protocol.CoinRows;
import io.r2dbc.spi.Readable;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every query the dashboard makes. Each one is bounded by an index range or a LIMIT, so no request scans a
 * whole table (the controller bounds the ranges and page sizes before they get here).
 */
@Component
class DashboardQueries {

    /** The current rate averages the last complete seconds: the one in progress is still being counted. */
    static final int RATE_SECONDS = 5;
    /**
     * A row's {@code updated_at} is when the sink's transaction began ({@code now()}); it becomes visible when that
     * transaction commits, which the sink's 10 s statement timeout bounds. A row written just before a query and
     * committed after it is still "written since" for the next one.
     */
    static final Duration COMMIT_LAG = Duration.ofSeconds(10);

    private final DatabaseClient db;
    /** The server cancels a slow statement itself; this also ends one whose connection went silent. */
    private final Duration timeout;
    private final CoinTraces traces;

    DashboardQueries(DatabaseClient db, R2dbcConfiguration.Settings settings, CoinTraces traces) {
        this.db = db;
        this.timeout = settings.clientTimeout();
        this.traces = traces;
    }

    Mono<ApiModel.Summary> summary() {
        return db.sql("""
                        SELECT (SELECT COALESCE(SUM(hashes), 0) FROM hasher_totals) AS hashes,
                               (SELECT COALESCE(SUM(coins), 0) FROM hasher_totals) AS coins,
                               (SELECT COALESCE(SUM(blocks), 0) FROM hasher_totals) AS blocks,
                               (SELECT count(*) FROM hasher_totals) AS hashers,
                               (SELECT COALESCE(SUM(hashes), 0) FROM hash_rates
                                 WHERE window_start >= date_trunc('second', now()) - make_interval(secs => :seconds + 1)
                                   AND window_start < date_trunc('second', now()) - interval '1 second') AS recent,
                               now() AS at""")
                .bind("seconds", RATE_SECONDS)
                .map(row -> new ApiModel.Summary(number(row.get("hashes")), number(row.get("coins")),
                        number(row.get("blocks")), number(row.get("recent")) / (double) RATE_SECONDS,
                        (int) number(row.get("hashers")), row.get("at", OffsetDateTime.class).toInstant()))
                .one()
                .timeout(timeout);
    }

    Flux<ApiModel.RatePoint> rates(Instant from, Instant to) {
        return db.sql("""
                        SELECT window_start, hasher, hashes FROM hash_rates
                         WHERE window_start >= :from AND window_start < :to
                         ORDER BY window_start, hasher""")
                .bind("from", OffsetDateTime.ofInstant(from, ZoneOffset.UTC))
                .bind("to", OffsetDateTime.ofInstant(to, ZoneOffset.UTC))
                .map((Readable row) -> ratePoint(row))
                .all()
                .timeout(timeout);
    }

    /**
     * The points of one stream event: every second from {@code since} on, and every older one (up to
     * {@link ApiController#DEFAULT_RANGE} before {@code since}) written since then ({@link #COMMIT_LAG}). Windows reach
     * PostgreSQL late when the sink was away or catching up; a chart that only asked for recent seconds would keep
     * a gap where they belong.
     */
    Flux<ApiModel.RatePoint> changedRates(Instant since, Instant to) {
        return db.sql("""
                        SELECT window_start, hasher, hashes FROM hash_rates
                         WHERE window_start >= :oldest AND window_start < :to
                           AND (window_start >= :since OR updated_at >= :written)
                         ORDER BY window_start, hasher""")
                .bind("oldest", OffsetDateTime.ofInstant(since.minus(ApiController.DEFAULT_RANGE), ZoneOffset.UTC))
                .bind("since", OffsetDateTime.ofInstant(since, ZoneOffset.UTC))
                .bind("written", OffsetDateTime.ofInstant(since.minus(COMMIT_LAG), ZoneOffset.UTC))
                .bind("to", OffsetDateTime.ofInstant(to, ZoneOffset.UTC))
                .map((Readable row) -> ratePoint(row))
                .all()
                .timeout(timeout);
    }

    /** Everything one stream event carries, read in one go. */
    Mono<ApiModel.Update> update(Instant since, int newestCoins) {
        return summary().flatMap(summary -> changedRates(since, summary.at().plusSeconds(1)).collectList()
                .zipWith(coins(0, newestCoins).collectList(),
                        (points, coins) -> new ApiModel.Update(summary.at(), since, summary, points, coins)));
    }

    /** The wallet's coins, newest first, each with its trace (trace_parent, from the sink's write) if it has one. */
    Flux<ApiModel.WalletCoin> coins(int page, int size) {
        return db.sql("SELECT " + CoinRows.COLUMNS + ", trace_parent FROM coins"
                        + " ORDER BY found_at DESC, hash LIMIT :size OFFSET :offset")
                .bind("size", size)
                .bind("offset", (long) page * size)
                .map((Readable row) -> traces.shown(coin(row), row.get("trace_parent", String.class)))
                .all()
                .timeout(timeout);
    }

    Mono<Coin> coin(String hash) {
        return db.sql(CoinRows.SELECT + " WHERE hash = :hash")
                .bind("hash", hash)
                .map((Readable row) -> coin(row))
                .one()
                .timeout(timeout);
    }

    private static ApiModel.RatePoint ratePoint(Readable row) {
        return new ApiModel.RatePoint(row.get("window_start", OffsetDateTime.class).toInstant(),
                row.get("hasher", String.class), number(row.get("hashes")));
    }

    private static Coin coin(Readable row) {
        return CoinRows.coin(new CoinRows.Columns<RuntimeException>() {
            @Override
            public String text(String column) {
                return row.get(column, String.class);
            }

            @Override
            public long number(String column) {
                return DashboardQueries.number(row.get(column));
            }

            @Override
            public long epochMillis(String column) {
                return row.get(column, OffsetDateTime.class).toInstant().toEpochMilli();
            }
        });
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }
}
