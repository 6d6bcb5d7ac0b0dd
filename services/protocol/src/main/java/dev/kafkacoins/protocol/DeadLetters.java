package dev.kafkacoins.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The dead-letter convention every component follows: the rejected record's key and value go byte for byte to
 * {@code <topic>.dlq}, with its original headers plus these, all UTF-8 text so that
 * {@code kafka-console-consumer --property print.headers=true} shows them as they are:
 * <ul>
 *   <li>{@value #ERROR}: why it was rejected, naming the record type and field</li>
 *   <li>{@value #ERROR_CLASS}: the exception class</li>
 *   <li>{@value #SOURCE_TOPIC}, {@value #SOURCE_PARTITION}, {@value #SOURCE_OFFSET}: where it came from</li>
 *   <li>{@value #REJECTED_BY}: the component instance that rejected it</li>
 *   <li>{@value #VALUE_OMITTED}: present only when the copy would be too large for the dead-letter topic
 *       (a near-limit record read from a compressed batch is far larger uncompressed): says how large the value
 *       was; the dead letter then carries only its first {@value #KEPT_PREFIX_BYTES} bytes, and the original stays
 *       readable at its source offset for the topic's retention</li>
 * </ul>
 */
public final class DeadLetters {

    public static final String ERROR = "dlq.error";
    public static final String ERROR_CLASS = "dlq.error.class";
    public static final String SOURCE_TOPIC = "dlq.source.topic";
    public static final String SOURCE_PARTITION = "dlq.source.partition";
    public static final String SOURCE_OFFSET = "dlq.source.offset";
    public static final String REJECTED_BY = "dlq.rejected.by";
    public static final String VALUE_OMITTED = "dlq.value.omitted";

    /**
     * The largest dead letter sent as a full copy. Well under Kafka's default limits (the producer's
     * {@code max.request.size} and the broker's {@code message.max.bytes}, both about 1 MiB), which the dead
     * letter's headers and batch overhead must also fit in: a copy that did not fit would fail its send, abort the
     * transaction and be read, and fail, again for ever.
     */
    public static final int MAX_COPY_BYTES = 512 * 1024;

    /** How much of an omitted value is kept, enough to recognise what it was. */
    public static final int KEPT_PREFIX_BYTES = 1024;

    private DeadLetters() {
    }

    /** The dead letter for a record consumed from {@code source}, to be sent to {@code dlq}. */
    public static ProducerRecord<byte[], byte[]> of(Topic<byte[], byte[]> dlq, ConsumerRecord<byte[], byte[]> source,
                                                    Exception error, String rejectedBy) {
        Headers headers = headers(source.headers(), source.topic(), source.partition(), source.offset(), error,
                rejectedBy);
        byte[] key = source.key();
        byte[] value = source.value();
        if (size(key) + size(value) + size(headers) > MAX_COPY_BYTES) {
            headers.add(text(VALUE_OMITTED, "the value of " + size(value) + " bytes (key " + size(key)
                    + " bytes) would make this dead letter larger than " + MAX_COPY_BYTES + " bytes; kept: its first "
                    + KEPT_PREFIX_BYTES + " bytes; the original is at " + source.topic() + "-" + source.partition()
                    + "@" + source.offset()));
            key = prefix(key);
            value = prefix(value);
            if (size(headers) > MAX_COPY_BYTES - 2 * KEPT_PREFIX_BYTES) {
                // The original headers are what is too large: keep only the convention's own.
                headers = headers(new RecordHeaders(), source.topic(), source.partition(), source.offset(), error,
                        rejectedBy);
                headers.add(text(VALUE_OMITTED, "the record's headers and value were too large for a dead letter ("
                        + (size(source.key()) + size(source.value()) + size(source.headers()))
                        + " bytes); kept: the first " + KEPT_PREFIX_BYTES + " bytes of key and value; the original is at "
                        + source.topic() + "-" + source.partition() + "@" + source.offset()));
            }
        }
        return new ProducerRecord<>(dlq.name(), null, key, value, headers);
    }

    private static int size(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static int size(Headers headers) {
        int total = 0;
        for (Header h : headers) {
            total += h.key().length() + size(h.value()) + 8;
        }
        return total;
    }

    private static byte[] prefix(byte[] bytes) {
        return bytes == null || bytes.length <= KEPT_PREFIX_BYTES ? bytes : Arrays.copyOf(bytes, KEPT_PREFIX_BYTES);
    }

    /** The original headers plus the convention's, for callers that build the dead letter themselves. */
    public static Headers headers(Headers original, String topic, int partition, long offset, Exception error,
                                  String rejectedBy) {
        Headers headers = new RecordHeaders(original.toArray());
        headers.add(text(ERROR, String.valueOf(error.getMessage())));
        headers.add(text(ERROR_CLASS, error.getClass().getName()));
        headers.add(text(SOURCE_TOPIC, topic));
        headers.add(text(SOURCE_PARTITION, Integer.toString(partition)));
        headers.add(text(SOURCE_OFFSET, Long.toString(offset)));
        headers.add(text(REJECTED_BY, rejectedBy));
        return headers;
    }

    /** The value of a convention header as text, or null when absent. */
    public static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static Header text(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
