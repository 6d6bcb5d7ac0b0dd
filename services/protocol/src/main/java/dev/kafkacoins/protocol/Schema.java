package dev.kafkacoins.protocol;

/** Names the services use to reach what the schema (db-migrations) defines. */
public final class Schema {

    /** Where a service looks for the database unless spring.datasource.url says otherwise. */
    public static final String DEFAULT_JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/kafkacoins";

    /** The same database for reactive (R2DBC) clients. */
    public static final String DEFAULT_R2DBC_URL = "r2dbc:postgresql://127.0.0.1:5432/kafkacoins";

    /**
     * The sink sends {@code NOTIFY kafkacoins_updates, '<json>'} after each committed batch; the payload is small:
     * {@code {"rates":n,"totals":n,"coins":n}}, the rows the batch wrote. Try: {@code LISTEN kafkacoins_updates;}
     * in psql.
     */
    public static final String NOTIFY_CHANNEL = "kafkacoins_updates";

    private Schema() {
    }
}
