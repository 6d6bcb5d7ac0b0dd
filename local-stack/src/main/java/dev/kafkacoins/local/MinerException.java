package dev.kafkacoins.local;

/** A failure the user can act on: its message is printed as one line, without a stack trace. */
public final class MinerException extends RuntimeException {

    public MinerException(String message) {
        super(message);
    }

    public MinerException(String message, Throwable cause) {
        super(message, cause);
    }
}
