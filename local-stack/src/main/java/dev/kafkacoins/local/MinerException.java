package dev.kafkacoins.local;

/** A failure the user can act on: its message is printed as one line, without a stack trace. */
final class MinerException extends RuntimeException {

    MinerException(String message) {
        super(message);
    }

    MinerException(String message, Throwable cause) {
        super(message, cause);
    }
}
