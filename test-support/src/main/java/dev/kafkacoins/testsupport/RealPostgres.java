package dev.kafkacoins.testsupport;

/**
 * A real PostgreSQL server with an empty database {@value #DATABASE}, for a test class (static field) or for each
 * test method (instance field). The server can be stopped and started again mid-test.
 */
public final class RealPostgres extends ServerExtension {

    public static final String DATABASE = "kafkacoins";

    private PostgresServer server;

    public PostgresServer server() {
        return server;
    }

    public String jdbcUrl() {
        return server.jdbcUrl(DATABASE);
    }

    /** Spring arguments that point a service at this database. */
    public String[] springArgs() {
        return new String[] {"--spring.datasource.url=" + jdbcUrl(), "--spring.datasource.username=" + server.username(),
                "--spring.datasource.password=" + server.password()};
    }

    @Override
    protected void startServer() {
        server = TestInfrastructure.startPostgres();
        server.createDatabase(DATABASE);
    }

    @Override
    protected void stopServer() {
        server.close();
        server = null;
    }
}
