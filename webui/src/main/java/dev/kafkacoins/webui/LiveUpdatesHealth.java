package dev.kafkacoins.webui;

import dev.kafkacoins.service.ServiceHealth;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ValidationDepth;
import java.time.Duration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

/**
 * The webui's two health contributors, under the names every service uses ({@link ServiceHealth}): liveness is its
 * shared live source (reconnecting LISTEN is alive; a source that has ended is not), readiness is PostgreSQL.
 */
@Configuration(proxyBeanMethods = false)
class LiveUpdatesHealth {

    private static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(3);

    @Bean(ServiceHealth.LOOPS)
    HealthIndicator loops(LiveUpdates live) {
        return () -> (live.alive() ? Health.up() : Health.down()).withDetail("listening", live.listening()).build();
    }

    @Bean(ServiceHealth.DEPENDENCIES)
    ReactiveHealthIndicator dependencies(ConnectionPool pool) {
        return () -> Mono.usingWhen(pool.create(), c -> Mono.from(c.validate(ValidationDepth.REMOTE)), Connection::close)
                .timeout(DATABASE_TIMEOUT)
                .map(valid -> valid ? Health.up().build()
                        : Health.outOfService().withDetail("error", "connection not valid").build())
                .onErrorResume(e -> Mono.just(Health.outOfService()
                        .withDetail("error", "PostgreSQL not reachable: " + e).build()));
    }
}
