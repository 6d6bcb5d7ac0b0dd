package dev.kafkacoins.rng;

/** Decides how many blocks rng may publish now. */
interface Pacer {

    /** Blocks that may be sent now; 0 means wait a little and ask again. */
    long permits(long nowNanos);

    /** Called after {@code count} blocks were sent on the permits returned. */
    void sent(long count);
}
