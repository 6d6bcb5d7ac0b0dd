package dev.kafkacoins.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server with an empty database {@value #DATABASE} for a test class (static field) or for each
 * test method (instance field). The server can be stopped and started again mid-test.
 */
public final class RealPostgres implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    public static final String DATABASE = "kafkacoins";

    private PostgresServer server;
    private boolean perMethod;

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
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (server == null) {
            perMethod = true;
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perMethod) {
            close();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private void start() {
        server = TestInfrastructure.startPostgres();
        server.createDatabase(DATABASE);
    }

    private void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
