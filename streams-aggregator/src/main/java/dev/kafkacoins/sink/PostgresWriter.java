package dev.kafkacoins.sink;

import dev.kafkacoins.db.Schema;
import dev.kafkacoins.protocol.Coin;
import dev.kafkacoins.protocol.HasherTotal;
import dev.kafkacoins.protocol.RateWindow;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a batch in one database transaction: idempotent upserts of absolute values, then a NOTIFY that is
 * delivered only if the transaction commits. Writing the same batch twice leaves the same rows.
 */
@Component
class PostgresWriter {

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
            INSERT INTO coins (hash, seed, nonce, difficulty, block, hasher, found_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (hash) DO NOTHING""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    PostgresWriter(JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    void write(SinkBatch batch) {
        transactions.executeWithoutResult(status -> {
            jdbc.batchUpdate(UPSERT_RATE, batch.rates().stream().map(PostgresWriter::rateRow).toList());
            jdbc.batchUpdate(UPSERT_TOTAL, batch.totals().stream().map(PostgresWriter::totalRow).toList());
            jdbc.batchUpdate(INSERT_COIN, batch.coins().stream().map(PostgresWriter::coinRow).toList());
            String payload = "{\"rates\":" + batch.rates().size() + ",\"totals\":" + batch.totals().size()
                    + ",\"coins\":" + batch.coins().size() + "}";
            jdbc.queryForObject("SELECT pg_notify(?, ?)", Object.class, Schema.NOTIFY_CHANNEL, payload);
        });
    }

    /** Deletes rate windows that started before {@code cutoff}; returns how many. */
    int deleteRatesBefore(Instant cutoff) {
        return jdbc.update("DELETE FROM hash_rates WHERE window_start < ?", time(cutoff.toEpochMilli()));
    }

    private static Object[] rateRow(RateWindow w) {
        return new Object[] {time(w.windowStart()), w.hasher(), time(w.windowEnd()), w.hashes(), w.coins(), w.blocks(),
                time(w.lastCreatedAt())};
    }

    private static Object[] totalRow(HasherTotal t) {
        return new Object[] {t.hasher(), t.hashes(), t.coins(), t.blocks(), time(t.lastHashedAt()),
                time(t.lastCreatedAt())};
    }

    private static Object[] coinRow(Coin c) {
        return new Object[] {c.hash(), c.seed(), c.nonce(), c.difficulty(), c.block(), c.hasher(), time(c.foundAt())};
    }

    private static OffsetDateTime time(long epochMillis) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }
}
