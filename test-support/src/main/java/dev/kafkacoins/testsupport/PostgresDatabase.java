package dev.kafkacoins.testsupport;

/** A running, real PostgreSQL server that a test may use. */
public interface PostgresDatabase {

    String jdbcUrl();

    String username();

    String password();

    String kind();
}
