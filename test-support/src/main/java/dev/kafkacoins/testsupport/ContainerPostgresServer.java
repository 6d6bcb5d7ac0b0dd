package dev.kafkacoins.testsupport;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** PostgreSQL in a container; "stopped" means paused, so its mapped port and data stay as they were. */
final class ContainerPostgresServer implements PostgresServer {

    private final PostgreSQLContainer container;
    private boolean paused;

    ContainerPostgresServer(String image) {
        container = new PostgreSQLContainer(image);
        container.start();
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + container.getHost() + ":" + container.getFirstMappedPort() + "/" + database;
    }

    @Override
    public String username() {
        return container.getUsername();
    }

    @Override
    public String password() {
        return container.getPassword();
    }

    @Override
    public String kind() {
        return "container";
    }

    @Override
    public synchronized void stop() {
        if (!paused) {
            DockerClientFactory.instance().client().pauseContainerCmd(container.getContainerId()).exec();
            paused = true;
        }
    }

    @Override
    public synchronized void start() {
        if (paused) {
            DockerClientFactory.instance().client().unpauseContainerCmd(container.getContainerId()).exec();
            paused = false;
        }
    }

    @Override
    public void close() {
        start();
        container.stop();
    }
}
