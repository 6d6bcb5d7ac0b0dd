package dev.kafkacoins.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void defaultsEchoTheUsualPorts() {
        Ports ports = Ports.from(Ports.DEFAULT_BASE, null, null, null);
        assertThat(ports.kafka()).isEqualTo(28092);
        assertThat(ports.controller()).isEqualTo(28093);
        assertThat(ports.postgres()).isEqualTo(28432);
        assertThat(ports.webui()).isEqualTo(28080);
        assertThat(ports.hasher(3)).isEqualTo(28103);
        assertThat(ports.uses(2)).extracting(Ports.Use::port).doesNotHaveDuplicates().hasSize(10);
    }

    @Test
    void observingAddsPrometheusTheBrokersMetricsAndZipkinToThePortsThatMustBeFree() {
        Ports ports = Ports.from(Ports.DEFAULT_BASE, null, null, null);
        assertThat(ports.prometheus()).isEqualTo(28091);
        assertThat(ports.kafkaMetrics()).isEqualTo(28094);
        assertThat(ports.zipkin()).isEqualTo(28095);
        assertThat(ports.uses(2)).extracting(Ports.Use::port).doesNotContain(28091, 28094, 28095);
        assertThat(ports.uses(2, true)).extracting(Ports.Use::port).doesNotHaveDuplicates().hasSize(13)
                .contains(28091, 28094, 28095);
        assertThat(new StackOptions(2, 6, null, null, null, ports, true, true).portUses())
                .isEqualTo(ports.uses(2, true));
    }

    @Test
    void aKafkaPortWhoseControllerTakesTheMetricsPortIsRefusedUnderObserveOnly() {
        // The controller takes the Kafka port + 1: base + 94, the broker's metrics endpoint.
        Ports ports = Ports.from(28000, 28093, null, null);
        assertThat(ports.uses(0)).extracting(Ports.Use::port).doesNotHaveDuplicates();
        assertThatThrownBy(() -> Ports.requireFree(ports.uses(0, true))).isInstanceOf(MinerException.class)
                .hasMessageContaining("port 28094 is given to two services (kafka metrics): change --port-base");
    }

    @Test
    void aTakenPrometheusPortIsNamedWithTheFlagThatMovesIt() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Ports ports = Ports.from(taken.getLocalPort() - 91, null, null, null);
            assertThatThrownBy(() -> Ports.requireFree(ports.uses(0, true).stream()
                    .filter(use -> use.owner().equals("prometheus")).toList()))
                    .hasMessage("port " + taken.getLocalPort() + " (prometheus) is in use on 127.0.0.1: stop what "
                            + "holds it, or choose another with --port-base");
        }
    }

    @Test
    void aPortSetOnItsOwnWinsOverTheBase() {
        Ports ports = Ports.from(30000, 9092, 5432, 8080);
        assertThat(ports.kafka()).isEqualTo(9092);
        assertThat(ports.controller()).isEqualTo(9093);
        assertThat(ports.postgres()).isEqualTo(5432);
        assertThat(ports.webui()).isEqualTo(8080);
        assertThat(ports.rng()).isEqualTo(30081);
    }

    @Test
    void anImpossiblePortNamesItsFlag() {
        assertThatThrownBy(() -> Ports.from(28000, null, 80, null)).isInstanceOf(MinerException.class)
                .hasMessage("--postgres-port: port 80 is outside 1024-65535");
        assertThatThrownBy(() -> Ports.from(65500, null, null, null)).hasMessageStartingWith("--port-base: port ");
    }

    @Test
    void twoServicesOnOnePortAreRefusedBeforeAnythingStarts() {
        Ports ports = Ports.from(28000, null, null, 28092);
        assertThatThrownBy(() -> Ports.requireFree(ports.uses(1))).isInstanceOf(MinerException.class)
                .hasMessageContaining("port 28092 is given to two services (webui): change --webui-port");
    }

    @Test
    void aTakenPortIsNamedWithItsOwnerAndFlag() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThat(Ports.isFree(port)).isFalse();
            assertThatThrownBy(() -> Ports.requireFree(List.of(new Ports.Use(port, "postgres", "--postgres-port"))))
                    .hasMessage("port " + port + " (postgres) is in use on 127.0.0.1: stop what holds it, or choose "
                            + "another with --postgres-port");
        }
    }
}
