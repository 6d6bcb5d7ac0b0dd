package dev.kafkacoins.protocol;

/**
 * Consumer group ids and transactional-id prefixes that more than one component refers to: the clients that
 * use them, rng's lag reader, the dashboard, and the deployment's ACLs (which grant by these prefixes).
 */
public final class ConsumerGroups {

    /** The hashers' group on {@link Topics#BLOCKS}; rng reads its lag, the dashboard shows its members. */
    public static final String HASHER = "hasher";

    /** Every hasher thread's transactional id starts with this, followed by its hasher id. */
    public static final String HASHER_TRANSACTIONAL_ID_PREFIX = "hasher-";

    /**
     * The aggregator's Kafka Streams application id: its consumer group, its transactional ids and the prefix of
     * its internal topics.
     */
    public static final String AGGREGATOR = "aggregator";

    /** The PostgreSQL sink's group on the rates, totals and coins topics. */
    public static final String SINK = "pg-sink";

    private ConsumerGroups() {
    }
}
