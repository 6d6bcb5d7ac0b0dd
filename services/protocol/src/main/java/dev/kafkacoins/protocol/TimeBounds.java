package dev.kafkacoins.protocol;

import java.time.Duration;
import java.time.Instant;

/**
 * The sane range for every timestamp a record carries, anchored on the record's own Kafka timestamp: from
 * {@link #MAX_BEHIND} before it to {@link #MAX_AHEAD} after it, and never more than {@link #MAX_AHEAD} after the
 * reader's clock. Such a value fits PostgreSQL's {@code timestamptz}; a clock centuries off is refused.
 *
 * <p>Why an hour ahead: three clocks meet here (the producer's record timestamp, the clock inside the value, such
 * as rng's {@code createdAt} in a hasher's report, and the reader's), and the broker itself accepts a record
 * timestamp up to {@code message.timestamp.after.max.ms} (one hour by default) ahead of its clock. A tighter limit
 * would dead-letter, for good, every record of a host whose clock is merely minutes off: valid data lost.
 *
 * <p>These bounds do not keep event time honest: an hour ahead would still close every rate window of a
 * partition for an hour. The one reader that makes a field its event time bounds it by its own clock as well
 * (the aggregator, by its window grace).
 *
 * <p>Why not in the deserializer: Kafka hands a {@code Deserializer} the topic, headers and bytes, never the
 * record's timestamp. So every consumer calls {@link Topic#parse} with the consumed record instead.
 */
public record TimeBounds(long recordTimestamp, long earliest, long latest) {

    /** The broker's default {@code message.timestamp.after.max.ms}: the skew Kafka itself lets through. */
    public static final Duration MAX_AHEAD = Duration.ofHours(1);

    /**
     * How long before its own record a value may be: a block waits in miner.blocks for a hasher. Relative to the
     * record's timestamp, not to the reader's clock, so a compacted topic (miner.coins, miner.totals) replays
     * records of any age.
     */
    public static final Duration MAX_BEHIND = Duration.ofDays(30);

    /** The bounds for a record with Kafka timestamp {@code recordTimestamp} read at {@code now} (both epoch ms). */
    public static TimeBounds around(String type, long recordTimestamp, long now) {
        if (recordTimestamp < 0) {
            throw new InvalidRecordException(type + ": the Kafka record has no timestamp (" + recordTimestamp + ")");
        }
        long latest = Math.min(recordTimestamp, now) + MAX_AHEAD.toMillis();
        if (recordTimestamp > latest) {
            throw new InvalidRecordException(type + ": the Kafka record's timestamp " + Instant.ofEpochMilli(recordTimestamp)
                    + " is more than " + MAX_AHEAD + " ahead of this reader's clock (" + Instant.ofEpochMilli(now) + ")");
        }
        return new TimeBounds(recordTimestamp, Math.max(0, recordTimestamp - MAX_BEHIND.toMillis()), latest);
    }

    /** Throws, naming {@code type.field}, unless {@code value} (epoch ms) lies within these bounds. */
    public void check(String type, String field, long value) {
        if (value < earliest || value > latest) {
            throw new InvalidRecordException(type + "." + field + " " + describe(value)
                    + " is outside the sane range around its Kafka record's timestamp "
                    + Instant.ofEpochMilli(recordTimestamp) + " (" + MAX_BEHIND + " before it to " + MAX_AHEAD + " after)");
        }
    }

    private static String describe(long epochMillis) {
        // Instant covers about ±292 million years of milliseconds: every long, unlike PostgreSQL.
        return epochMillis + " (" + Instant.ofEpochMilli(epochMillis) + ")";
    }

    /** A record whose timestamps reach PostgreSQL or event time: it checks each one against the bounds. */
    public interface Timed {
        void checkTimes(TimeBounds bounds);
    }
}
