package dev.kafkacoins.sink;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * UP while batches commit; DEGRADED while PostgreSQL is unreachable (the sink keeps its Kafka position, lag grows,
 * and it catches up by itself when the database returns: nothing to restart); DOWN if the loop has stopped.
 */
@Component
class SinkHealth implements HealthIndicator {

    static final Status DEGRADED = new Status("DEGRADED", "PostgreSQL unreachable; retrying, lag is growing");

    private final SinkState state;

    SinkHealth(SinkState state) {
        this.state = state;
    }

    @Override
    public Health health() {
        if (state.isStopped()) {
            return Health.down().withDetail("loop", "stopped").build();
        }
        SinkState.Outage outage = state.outage();
        if (outage == null) {
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
        return Health.status(DEGRADED).withDetail("since", outage.since().toString())
                .withDetail("attempts", outage.attempts()).withDetail("lastError", String.valueOf(outage.lastError()))
                .build();
    }
}
