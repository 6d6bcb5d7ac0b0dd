package dev.kafkacoins.protocol;

/**
 * A record that is not valid KafkaCoins protocol: unparsable, of an unknown version, or with a field out of
 * range. The message names the record type and the field, so it can stand alone in a dead-letter header.
 */
public class InvalidRecordException extends IllegalArgumentException {

    public InvalidRecordException(String message) {
        super(message);
    }

    public InvalidRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
