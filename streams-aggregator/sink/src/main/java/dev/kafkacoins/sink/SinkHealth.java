package dev.kafkacoins.sink;

import dev.kafkacoins.service.ServiceHealth;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * The sink's readiness ({@value ServiceHealth#DEPENDENCIES}): can it write to PostgreSQL? DEGRADED while the
 * database is away, whether a batch write failed or an idle sink's check did: the sink keeps its Kafka position,
 * lag grows, and it catches up by itself when the database returns, so this is no reason to restart it (the
 * overall health answers 200) but it is not ready (the readiness group answers 503). Whether its loop is alive is
 * liveness' question, answered by {@link ServiceHealth}'s loop health.
 */
@Component(ServiceHealth.DEPENDENCIES)
class SinkHealth implements HealthIndicator {

    static final Status DEGRADED = new Status("DEGRADED", "PostgreSQL unreachable; retrying, lag is growing");

    private final SinkState state;
    private final DataSource database;

    SinkHealth(SinkState state, DataSource database, MeterRegistry registry) {
        this.state = state;
        this.database = database;
        // The alert on a degraded sink reads exactly what the readiness probe says. While a write is being retried
        // this costs nothing; only an idle sink's scrape checks the database, bounded by the pool's timeout.
        Gauge.builder("kafkacoins.sink.degraded", this, h -> DEGRADED.equals(h.health().getStatus()) ? 1 : 0)
                .description("1 while the sink's health is DEGRADED (PostgreSQL unreachable), else 0")
                .register(registry);
    }

    @Override
    public Health health() {
        SinkState.Outage outage = state.outage();
        if (outage != null) {
            return Health.status(DEGRADED).withDetail("since", outage.since().toString())
                    .withDetail("attempts", outage.attempts())
                    .withDetail("lastError", String.valueOf(outage.lastError())).build();
        }
        String unreachable = check();
        if (unreachable != null) {
            return Health.status(DEGRADED).withDetail("lastError", unreachable).build();
        }
        Health.Builder up = Health.up();
        if (state.lastCommit() != null) {
            up.withDetail("lastCommit", state.lastCommit().toString());
        }
        if (!state.totalsBehind().isEmpty()) {
            // Kafka's totals went backwards (the cluster lost its data?): PostgreSQL keeps the larger values.
            up.withDetail("totalsBehindPostgres", state.totalsBehind());
        }
        return up.build();
    }

    /** Null when the database answers; the pool's connection timeout bounds the wait. */
    private String check() {
        try (Connection connection = database.getConnection()) {
            return connection.isValid(2) ? null : "connection not valid";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }
}
