package dev.kafkacoins.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A running, real PostgreSQL server that a test may use, and also take away: {@link #stop()} makes it
 * unreachable (its data kept) and {@link #start()} brings it back at the same address.
 */
public interface PostgresServer extends AutoCloseable {

    /** JDBC URL of a database on this server. */
    String jdbcUrl(String database);

    String username();

    String password();

    String kind();

    /** Stops the server, keeping its data; clients see refused connections until {@link #start()}. */
    void stop();

    /** Starts a stopped server again, same address, same data. */
    void start();

    /** Stops the server for good and deletes its data. */
    @Override
    void close();

    default Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), username(), password());
    }

    default void createDatabase(String database) {
        try (Connection c = connect("postgres"); var statement = c.createStatement()) {
            statement.execute("CREATE DATABASE \"" + database + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + database, e);
        }
    }
}
