package dev.kafkacoins.protocol;

import java.time.Duration;
import java.time.Instant;

/**
 * The sane range for every timestamp a record carries, anchored on the record's own Kafka timestamp: from
 * {@link #MAX_BEHIND} before it to {@link #MAX_AHEAD} after it, and never more than {@link #MAX_AHEAD} after the
 * reader's clock. Such a value fits PostgreSQL's {@code timestamptz} and cannot carry event time far ahead.
 *
 * <p>Why the reader's clock too: a record's timestamp is its producer's {@code CreateTime}, which the broker
 * accepts up to {@code message.timestamp.after.max.ms} (one hour by default) ahead of its own clock; an hour of
 * event time ahead would still close every rate window of that partition for an hour.
 *
 * <p>Why not in the deserializer: Kafka hands a {@code Deserializer} the topic, headers and bytes, never the
 * record's timestamp. So every consumer calls {@link Topic#parse} with the consumed record instead.
 */
public record TimeBounds(long recordTimestamp, long earliest, long latest) {

    /** Clock skew between hosts and the broker that is still honest. */
    public static final Duration MAX_AHEAD = Duration.ofMinutes(5);

    /** Longer than any topic's retention here: a block can wait that long for a hasher, never longer. */
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
