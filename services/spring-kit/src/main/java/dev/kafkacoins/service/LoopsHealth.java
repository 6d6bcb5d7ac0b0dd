package dev.kafkacoins.service;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The liveness of a service's loops: DOWN as soon as one has ended while the application runs, so a liveness
 * probe restarts the process. A loop that is recovering (new clients after a broker outage) is alive and says so
 * in its details; whether it can do work now is readiness' question ({@link ServiceHealth#DEPENDENCIES}).
 */
public final class LoopsHealth implements HealthIndicator {

    private final Supplier<? extends Collection<? extends BackgroundLoop>> loops;

    public LoopsHealth(Supplier<? extends Collection<? extends BackgroundLoop>> loops) {
        this.loops = loops;
    }

    @Override
    public Health health() {
        boolean alive = true;
        Map<String, Object> details = new LinkedHashMap<>();
        for (BackgroundLoop loop : loops.get()) {
            BackgroundLoop.Status status = loop.status();
            alive &= status.alive();
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("state", status.state().name());
            detail.put("since", status.since().toString());
            if (status.failures() > 0) {
                detail.put("failures", status.failures());
                detail.put("lastError", status.lastError());
            }
            details.put(status.name(), detail);
        }
        return (alive ? Health.up() : Health.down()).withDetails(details).build();
    }
}
