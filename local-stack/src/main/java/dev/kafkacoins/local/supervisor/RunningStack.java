package dev.kafkacoins.local.supervisor;

import dev.kafkacoins.local.stack.Catalog;
import dev.kafkacoins.local.stack.Probes;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The stack a {@link Scenario} runs on, once it is up: its processes ({@link Supervisor}), how to start and reach
 * them ({@link Catalog}) and their health and the broker's admin client ({@link Probes}).
 */
public record RunningStack(Supervisor supervisor, Catalog catalog, Probes probes) {

    /** Stops rng, then waits until the pipeline has worked off what rng published ({@link Drain}). */
    public void stopRngAndDrain(Duration timeout) throws Exception {
        stopRngAndDrain(timeout, () -> true);
    }

    /** As above, and {@code settled} must hold as well (a sink backing off holds its lag still too). */
    public void stopRngAndDrain(Duration timeout, BooleanSupplier settled) throws Exception {
        supervisor.stop(Catalog.RNG);
        Drain.await(probes.admin(), timeout, settled);
    }
}
