package dev.kafkacoins.local.supervisor;

import dev.kafkacoins.local.Ports;
import dev.kafkacoins.local.observe.Prometheus.Target;
import dev.kafkacoins.local.stack.ServiceSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Prometheus scrapes of the supervisor's processes: every Spring service it runs, or means to run again.
 * <p>
 * A service that crashed or was killed stays a target while its restart is pending, so that its {@code up} turns 0
 * and ServiceDown can fire, as it does for a crash-looping pod; one the supervisor stops on purpose (scale, stop,
 * down) leaves at once, as a deleted pod leaves its PodMonitor's targets. The broker is a job of its own
 * (Prometheus's config), PostgreSQL exports nothing and db-migrations is a job that exits.
 */
final class ScrapeTargets {

    private ScrapeTargets() {
    }

    static List<Target> of(List<Child> children) {
        return children.stream().flatMap(child -> of(child.spec(), child.state()).stream()).toList();
    }

    static Optional<Target> of(ServiceSpec spec, Child.State state) {
        if (spec.readiness() != ServiceSpec.Readiness.ACTUATOR || state == Child.State.STOPPING
                || state == Child.State.STOPPED) {
            return Optional.empty();
        }
        // The labels the alert rules select on, as the PodMonitor's relabeling sets them on Kubernetes. The
        // instance is the process's name, which ./miner logs and ./miner status take. No "hasher" label: the
        // hasher's own meters carry one (its instance id), which a target label would push aside.
        return Optional.of(new Target(Ports.HOST + ":" + spec.port(), Map.of(
                "service", spec.isHasher() ? "hasher" : spec.name(),
                "instance", spec.name())));
    }
}
