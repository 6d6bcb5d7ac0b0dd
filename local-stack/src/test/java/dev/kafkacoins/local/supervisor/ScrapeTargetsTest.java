package dev.kafkacoins.local.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkacoins.local.Ports;
import dev.kafkacoins.local.observe.Prometheus.Target;
import dev.kafkacoins.local.stack.ServiceSpec;
import dev.kafkacoins.local.stack.ServiceSpec.Readiness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ScrapeTargetsTest {

    private static final Ports PORTS = new Ports(28000, 28092, 28432, 28080);

    @Test
    void everySpringServiceIsATargetWithTheServiceLabelOfTheAlertRules() {
        assertThat(List.of(service("rng", PORTS.rng()), service("hasher-1", PORTS.hasher(1)),
                service("hasher-12", PORTS.hasher(12)), service("aggregator", PORTS.aggregator()),
                service("sink", PORTS.sink()), service("webui", PORTS.webui()))
                .stream().map(spec -> ScrapeTargets.of(spec, Child.State.READY).orElseThrow()).toList())
                .containsExactly(
                        new Target("127.0.0.1:28081", Map.of("service", "rng", "instance", "rng")),
                        new Target("127.0.0.1:28101", Map.of("service", "hasher", "instance", "hasher-1")),
                        new Target("127.0.0.1:28112", Map.of("service", "hasher", "instance", "hasher-12")),
                        new Target("127.0.0.1:28083", Map.of("service", "aggregator", "instance", "aggregator")),
                        new Target("127.0.0.1:28084", Map.of("service", "sink", "instance", "sink")),
                        new Target("127.0.0.1:28080", Map.of("service", "webui", "instance", "webui")));
    }

    @ParameterizedTest
    @EnumSource(value = Child.State.class, names = {"STARTING", "READY", "KILLED", "EXITED"})
    void aServiceThatRunsOrAwaitsItsRestartStaysATargetSoThatItsDownTimeShows(Child.State state) {
        assertThat(ScrapeTargets.of(service("hasher-2", PORTS.hasher(2)), state)).isPresent();
    }

    @ParameterizedTest
    @EnumSource(value = Child.State.class, names = {"STOPPING", "STOPPED"})
    void aServiceStoppedOnPurposeIsNoTarget(Child.State state) {
        assertThat(ScrapeTargets.of(service("hasher-3", PORTS.hasher(3)), state)).isEmpty();
    }

    @Test
    void theBrokerPostgresTheMigrationsAndPrometheusItselfAreNoFileTargets() {
        assertThat(List.of(
                new ServiceSpec("kafka", List.of("java"), PORTS.kafka(), Readiness.KAFKA, Map.of()),
                new ServiceSpec("postgres", List.of("java"), PORTS.postgres(), Readiness.POSTGRES, Map.of()),
                new ServiceSpec("db-migrations", List.of("java"), 0, Readiness.EXIT_ZERO, Map.of()),
                new ServiceSpec("prometheus", List.of("prometheus"), PORTS.prometheus(), Readiness.PROMETHEUS,
                        Map.of())))
                .allSatisfy(spec -> assertThat(ScrapeTargets.of(spec, Child.State.READY)).isEmpty());
    }

    private static ServiceSpec service(String name, int port) {
        return new ServiceSpec(name, List.of("java", "-jar", name + ".jar"), port, Readiness.ACTUATOR, Map.of());
    }
}
