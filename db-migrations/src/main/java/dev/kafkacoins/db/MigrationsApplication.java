package dev.kafkacoins.db;

import dev.kafkacoins.protocol.Schema;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Applies the schema's migrations (Spring Boot runs Flyway at start-up), says what the schema is now, and exits:
 * 0 when the schema is current, 1 when a migration failed. Running it again is a no-op. Used by the local stack
 * and by the Kubernetes migration Job. With {@code --migrations.mode=await} it applies nothing and waits for the
 * schema to be current instead (the services' init container on Kubernetes).
 */
@SpringBootApplication
@EnableConfigurationProperties(MigrationsProperties.class)
public class MigrationsApplication {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationsApplication.class);

    public static void main(String[] args) {
        int status;
        try (ConfigurableApplicationContext context = application().run(args)) {
            MigrationInfo current = context.getBean(Flyway.class).info().current();
            LOG.info("schema is at version {} ({})", current == null ? "none" : current.getVersion(),
                    current == null ? "empty" : current.getDescription());
            status = 0;
        } catch (RuntimeException e) {
            // Spring Boot has already printed why; the exit status is what a Job or script checks.
            status = 1;
        }
        System.exit(status);
    }

    @Bean
    FlywayMigrationStrategy migrationStrategy(MigrationsProperties settings) {
        return flyway -> {
            if (settings.mode() == MigrationsProperties.Mode.AWAIT) {
                SchemaAwait.await(flyway, settings.awaitTimeout(), settings.awaitPoll());
            } else {
                flyway.migrate();
            }
        };
    }

    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(MigrationsApplication.class)
                .web(WebApplicationType.NONE)
                .properties(Map.of(
                        "spring.application.name", "db-migrations",
                        "spring.datasource.url", Schema.DEFAULT_JDBC_URL,
                        "spring.flyway.fail-on-missing-locations", true,
                        // Nothing waits forever. A migration that needs a lock the running services hold gives up
                        // after 30 s (exit 1, the Job retries) instead of queueing every query behind it; a statement
                        // may run 10 min (an index on a large table); a silent connection is dropped after 11 min.
                        "spring.datasource.hikari.data-source-properties.options",
                        "-c lock_timeout=30000 -c statement_timeout=600000",
                        "spring.datasource.hikari.data-source-properties.socketTimeout", 660));
    }
}
