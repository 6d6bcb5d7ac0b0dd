package dev.kafkacoins.kit;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * Which errors a loop cannot recover from by starting over with new clients. Everything else (timeouts, a broker
 * that is away, a fenced producer, a rebalance) heals with new clients once its cause is gone.
 */
public final class LoopFailures {

    private LoopFailures() {
    }

    /**
     * True when the error or any of its causes is one that new clients would meet again: the broker refused this
     * service's credentials or ACLs (Kafka's own examples stop on {@link AuthorizationException}), the client
     * configuration is invalid, or the JVM itself is failing (out of memory, a missing class).
     */
    public static boolean isFatal(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AuthorizationException || t instanceof AuthenticationException
                    || t instanceof ConfigException || t instanceof VirtualMachineError || t instanceof LinkageError) {
                return true;
            }
        }
        return false;
    }
}
