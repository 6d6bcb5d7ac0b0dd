package dev.kafkacoins.webui;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * A pooled R2DBC connection to PostgreSQL from the usual {@code spring.r2dbc.*} keys. Spring Boot's own R2DBC
 * auto-configuration (spring-boot-r2dbc 4.1.1) is missing from the registry mirror this project builds from,
 * so these few lines do its job with the same property names; drop them when it is available.
 */
@Configuration
@EnableConfigurationProperties(R2dbcConfiguration.Settings.class)
class R2dbcConfiguration {

    /**
     * The webui's database ({@code spring.r2dbc.*}, the names of Spring Boot's own R2DBC settings).
     *
     * @param url          the database, e.g. {@code r2dbc:postgresql://127.0.0.1:5432/kafkacoins}
     * @param username     the role to log in as, unless the URL names one
     * @param password     that role's password
     * @param maxPoolSize  connections in the pool at most, besides the one that LISTENs
     * @param queryTimeout PostgreSQL cancels a dashboard query after this ({@code statement_timeout}, so a lock held
     *                     elsewhere cannot hang it), and the webui gives up on it a second later whatever the
     *                     server does (a connection that went silent); the live stream then serves the next update
     */
    @ConfigurationProperties("spring.r2dbc")
    record Settings(String url, @DefaultValue("") String username, @DefaultValue("") String password,
                    @DefaultValue("10") int maxPoolSize, @DefaultValue("5s") Duration queryTimeout) {

        Duration clientTimeout() {
            return queryTimeout.plusSeconds(1);
        }
    }

    @Bean(destroyMethod = "dispose")
    ConnectionPool connectionFactory(Settings settings) {
        if (settings.url() == null || settings.url().isBlank()) {
            throw new IllegalArgumentException(
                    "spring.r2dbc.url is not set (e.g. r2dbc:postgresql://127.0.0.1:5432/kafkacoins)");
        }
        ConnectionFactoryOptions.Builder options = ConnectionFactoryOptions.parse(settings.url()).mutate();
        if (!settings.username().isEmpty()) {
            options.option(ConnectionFactoryOptions.USER, settings.username());
        }
        if (!settings.password().isEmpty()) {
            options.option(ConnectionFactoryOptions.PASSWORD, settings.password());
        }
        options.option(ConnectionFactoryOptions.STATEMENT_TIMEOUT, settings.queryTimeout());
        ConnectionFactoryOptions built = options.build();
        if (!built.hasOption(ConnectionFactoryOptions.USER)) {
            throw new IllegalArgumentException("spring.r2dbc.username is not set (nor a user in spring.r2dbc.url)");
        }
        ConnectionFactory postgres = ConnectionFactories.get(built);
        return new ConnectionPool(ConnectionPoolConfiguration.builder(postgres)
                .maxSize(settings.maxPoolSize())
                .maxAcquireTime(Duration.ofSeconds(5))
                .build());
    }

    @Bean
    DatabaseClient databaseClient(ConnectionFactory connectionFactory) {
        return DatabaseClient.create(connectionFactory);
    }
}
