package dev.kafkacoins.protocol;

import java.nio.charset.StandardCharsets;
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
 * </ul>
 */
public final class DeadLetters {

    public static final String ERROR = "dlq.error";
    public static final String ERROR_CLASS = "dlq.error.class";
    public static final String SOURCE_TOPIC = "dlq.source.topic";
    public static final String SOURCE_PARTITION = "dlq.source.partition";
    public static final String SOURCE_OFFSET = "dlq.source.offset";
    public static final String REJECTED_BY = "dlq.rejected.by";

    private DeadLetters() {
    }

    /** The dead letter for a record consumed from {@code source}, to be sent to {@code dlq}. */
    public static ProducerRecord<byte[], byte[]> of(Topic<byte[], byte[]> dlq, ConsumerRecord<byte[], byte[]> source,
                                                    Exception error, String rejectedBy) {
        Headers headers = headers(source.headers(), source.topic(), source.partition(), source.offset(), error,
                rejectedBy);
        return new ProducerRecord<>(dlq.name(), null, source.key(), source.value(), headers);
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
