package dev.kafkacoins.sink;

import dev.kafkacoins.protocol.Coin;
import dev.kafkacoins.protocol.HasherTotal;
import dev.kafkacoins.protocol.RateWindow;
import dev.kafkacoins.protocol.Schema;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a batch in one database transaction: idempotent upserts of absolute values, then a NOTIFY that is
 * delivered only if the transaction commits. Writing the same batch twice leaves the same rows.
 *
 * <p>Two kinds of failure are told apart by the SQLState PostgreSQL returns. A row the database refuses (class
 * 22 data exception, 23 integrity constraint, 54 program limit) would be refused again on every retry, so the
 * batch is written once more row by row, each row in its own savepoint: the refused rows are left out and
 * returned (the sink dead-letters them), the others are written. Anything else (the database away, a timeout, a
 * failover) is thrown, and the sink keeps its position and retries the whole batch later.
 */
@Component
class PostgresWriter {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresWriter.class);

    // The WHERE clauses keep an older value from overwriting a newer one (windows and totals only grow), so a
    // replay from an earlier offset can never move a row backwards.
    private static final String UPSERT_RATE = """
            INSERT INTO hash_rates (window_start, hasher, window_end, hashes, coins, blocks, last_created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (window_start, hasher) DO UPDATE SET window_end = EXCLUDED.window_end,
                hashes = EXCLUDED.hashes, coins = EXCLUDED.coins, blocks = EXCLUDED.blocks,
                last_created_at = EXCLUDED.last_created_at, updated_at = now()
            WHERE hash_rates.hashes <= EXCLUDED.hashes""";
    private static final String UPSERT_TOTAL = """
            INSERT INTO hasher_totals (hasher, hashes, coins, blocks, last_hashed_at, last_created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (hasher) DO UPDATE SET hashes = EXCLUDED.hashes, coins = EXCLUDED.coins,
                blocks = EXCLUDED.blocks, last_hashed_at = EXCLUDED.last_hashed_at,
                last_created_at = EXCLUDED.last_created_at, updated_at = now()
            WHERE hasher_totals.hashes <= EXCLUDED.hashes""";
    private static final String INSERT_COIN = """
            INSERT INTO coins (hash, seed, nonce, difficulty, block, hasher, found_at, trace_parent)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (hash) DO NOTHING""";

    /** A row PostgreSQL refused: the record it came from, the table, the SQLState and PostgreSQL's words. */
    record Refused(ConsumerRecord<byte[], byte[]> source, String table, String sqlState, String message) {
    }

    /**
     * A total older than the one stored: Kafka's total for this hasher went backwards (the cluster lost its data,
     * or an older record is being replayed). The stored, larger value is kept.
     */
    record TotalBehind(String hasher, long stored, long offered) {
    }

    /** What a write did besides writing: the rows refused, the totals behind PostgreSQL's, the totals applied. */
    record Outcome(List<Refused> refused, List<TotalBehind> behind, List<String> totalsApplied) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    PostgresWriter(JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /**
     * @param traces the trace each record's row continues, as a {@code traceparent}, or null: stored with a coin,
     *               so that the dashboard links the coin to its block's trace and continues it when it shows it
     */
    Outcome write(SinkBatch batch, Function<ConsumerRecord<byte[], byte[]>, String> traces) {
        try {
            return transactions.execute(status -> writeAll(batch, traces, null));
        } catch (DataAccessException e) {
            if (!refused(e)) {
                throw e;
            }
            LOG.info("PostgreSQL refused a row of a batch of {} ({}); writing it row by row to leave that row out",
                    batch.rows(), e.getMostSpecificCause().getMessage());
            return transactions.execute(status -> writeAll(batch, traces, status));
        }
    }

    /** Rows in JDBC batches, or, with {@code savepoints}, one by one, each refused row rolled back alone. */
    private Outcome writeAll(SinkBatch batch, Function<ConsumerRecord<byte[], byte[]>, String> traces,
                             TransactionStatus savepoints) {
        List<Refused> refused = new ArrayList<>();
        write("hash_rates", UPSERT_RATE, batch.rates(), row -> rateRow(row.value()), savepoints, refused);
        int[] totals = write("hasher_totals", UPSERT_TOTAL, batch.totals(), row -> totalRow(row.value()), savepoints,
                refused);
        write("coins", INSERT_COIN, batch.coins(), row -> coinRow(row.value(), traces.apply(row.source())),
                savepoints, refused);
        List<TotalBehind> behind = new ArrayList<>();
        List<String> applied = new ArrayList<>();
        int i = 0;
        for (SinkBatch.Row<HasherTotal> row : batch.totals()) {
            int count = totals[i++];
            HasherTotal t = row.value();
            if (count > 0) {
                applied.add(t.hasher());
            } else if (count == 0) {
                // The WHERE kept the stored row: say by how much Kafka's total is behind it.
                List<Long> stored = jdbc.queryForList("SELECT hashes FROM hasher_totals WHERE hasher = ?", Long.class,
                        t.hasher());
                if (!stored.isEmpty() && stored.getFirst() > t.hashes()) {
                    behind.add(new TotalBehind(t.hasher(), stored.getFirst(), t.hashes()));
                }
            }
        }
        String payload = "{\"rates\":" + batch.rates().size() + ",\"totals\":" + batch.totals().size()
                + ",\"coins\":" + batch.coins().size() + "}";
        jdbc.queryForObject("SELECT pg_notify(?, ?)", Object.class, Schema.NOTIFY_CHANNEL, payload);
        return new Outcome(refused, behind, applied);
    }

    /** @return the update count of each row, -1 for a refused one */
    private <V> int[] write(String table, String sql, java.util.Collection<SinkBatch.Row<V>> rows,
                            Function<SinkBatch.Row<V>, Object[]> columns, TransactionStatus savepoints,
                            List<Refused> refused) {
        if (savepoints == null) {
            return jdbc.batchUpdate(sql, rows.stream().map(columns).toList());
        }
        int[] counts = new int[rows.size()];
        int i = 0;
        for (SinkBatch.Row<V> row : rows) {
            Object savepoint = savepoints.createSavepoint();
            try {
                counts[i] = jdbc.update(sql, columns.apply(row));
                savepoints.releaseSavepoint(savepoint);
            } catch (DataAccessException e) {
                if (!refused(e)) {
                    throw e;
                }
                savepoints.rollbackToSavepoint(savepoint);
                counts[i] = -1;
                refused.add(new Refused(row.source(), table, sqlState(e), e.getMostSpecificCause().getMessage()));
            }
            i++;
        }
        return counts;
    }

    /** Deletes rate windows that started before {@code cutoff}; returns how many. */
    int deleteRatesBefore(Instant cutoff) {
        return jdbc.update("DELETE FROM hash_rates WHERE window_start < ?", time(cutoff.toEpochMilli()));
    }

    /** True when PostgreSQL refused the data itself, which no retry changes. */
    static boolean refused(Throwable e) {
        String state = sqlState(e);
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
    }

    /** The first SQLState in the cause chain (and a batch's next exceptions), or null. */
    static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException()) {
                    if (next.getSQLState() != null) {
                        return next.getSQLState();
                    }
                }
            }
        }
        return null;
    }

    private static Object[] rateRow(RateWindow w) {
        return new Object[] {time(w.windowStart()), w.hasher(), time(w.windowEnd()), w.hashes(), w.coins(), w.blocks(),
                time(w.lastCreatedAt())};
    }

    private static Object[] totalRow(HasherTotal t) {
        return new Object[] {t.hasher(), t.hashes(), t.coins(), t.blocks(), time(t.lastHashedAt()),
                time(t.lastCreatedAt())};
    }

    private static Object[] coinRow(Coin c, String traceparent) {
        return new Object[] {c.hash(), c.seed(), c.nonce(), c.difficulty(), c.block(), c.hasher(), time(c.foundAt()),
                traceparent};
    }

    private static OffsetDateTime time(long epochMillis) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }
}
