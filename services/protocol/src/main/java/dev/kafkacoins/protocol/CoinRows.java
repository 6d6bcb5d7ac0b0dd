package dev.kafkacoins.protocol;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The wallet's rows in PostgreSQL ({@code coins}, which db-migrations defines) read back as {@link Coin}s: one column
 * list and one mapping for every reader, JDBC or R2DBC, each handing over its row through {@link Columns}.
 */
public final class CoinRows {

    /** Every column of a coin row, in the order {@link #coin} reads them. */
    public static final String COLUMNS = "hash, seed, nonce, difficulty, block, hasher, found_at";

    /** Every coin row; a caller appends its own WHERE or ORDER BY. */
    public static final String SELECT = "SELECT " + COLUMNS + " FROM coins";

    /** A row's values by column name, from whichever client read it. */
    public interface Columns<E extends Exception> {

        String text(String column) throws E;

        long number(String column) throws E;

        /** A {@code timestamptz} column as epoch milliseconds. */
        long epochMillis(String column) throws E;
    }

    private CoinRows() {
    }

    public static <E extends Exception> Coin coin(Columns<E> row) throws E {
        return Coin.of(row.text("hash"), row.text("seed"), row.number("nonce"), (int) row.number("difficulty"),
                row.text("block"), row.text("hasher"), row.epochMillis("found_at"));
    }

    /** The current row of a JDBC result. */
    public static Coin coin(ResultSet rows) throws SQLException {
        return coin(new Columns<SQLException>() {
            @Override
            public String text(String column) throws SQLException {
                return rows.getString(column);
            }

            @Override
            public long number(String column) throws SQLException {
                return rows.getLong(column);
            }

            @Override
            public long epochMillis(String column) throws SQLException {
                return rows.getTimestamp(column).getTime();
            }
        });
    }
}
