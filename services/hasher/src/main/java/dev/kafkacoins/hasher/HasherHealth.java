package dev.kafkacoins.hasher;

import java.util.List;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** DOWN when a hashing thread has died, so a liveness probe restarts the process. */
@Component
class HasherHealth implements HealthIndicator {

    private final HasherWorkers workers;

    HasherHealth(HasherWorkers workers) {
        this.workers = workers;
    }

    @Override
    public Health health() {
        List<String> failed = workers.failed();
        Health.Builder health = failed.isEmpty() ? Health.up() : Health.down();
        return health.withDetail("threads", workers.threadCount()).withDetail("failed", failed).build();
    }
}
