package dev.kafkacoins.local.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkacoins.local.MinerException;
import dev.kafkacoins.local.Ports;
import dev.kafkacoins.local.Secrets;
import dev.kafkacoins.local.StackLayout;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class ZipkinTest {

    @Test
    void zipkinServesOnLoopbackOnlyBehindTheLoginModuleAndThePasswordsStayOffTheCommandLines(@TempDir Path dir) {
        StackLayout layout = new StackLayout(dir, dir.resolve("data"));
        Secrets secrets = Secrets.ensure(dir.resolve("passwords.properties"), List.of(Zipkin.SECRET));
        Zipkin zipkin = new Zipkin(layout, new Ports(28000, 28092, 28432, 28080));

        List<String> server = zipkin.command();
        // Armeria binds every interface unless told otherwise: server.address alone would not do it
        assertThat(server).contains("--armeria.ports[0].ip=127.0.0.1", "--armeria.ports[0].port=28095",
                "--zipkin.internal.module.kafkacoins-login=dev.kafkacoins.zipkin.ZipkinLogin",
                "--zipkin.collector.grpc.enabled=false");
        assertThat(server).anySatisfy(arg -> assertThat(arg).startsWith("-Dloader.path=").endsWith("zipkin-login.jar"));
        String password = secrets.password(Zipkin.SECRET);
        assertThat(String.join(" ", server)).doesNotContain(password);
        assertThat(zipkin.loginSettings(secrets)).containsEntry("kafkacoins.zipkin.password", password);

        List<String> reporter = zipkin.reporterArguments(10);
        assertThat(reporter).containsExactly("--management.tracing.enabled=true",
                "--kafkacoins.tracing.traces-per-second=10",
                "--management.tracing.export.zipkin.endpoint=http://127.0.0.1:28095/api/v2/spans",
                "--kafkacoins.tracing.zipkin.username=miner");
        assertThat(zipkin.reporterSecret(secrets)).containsEntry("kafkacoins.tracing.zipkin.password", password);
    }

    @Test
    void withoutTheServerJarObserveStopsInOneLineSayingHowToBuildIt(@TempDir Path dir) {
        Zipkin zipkin = new Zipkin(new StackLayout(dir, dir.resolve("data")), new Ports(28000, 28092, 28432, 28080));
        assertThatThrownBy(zipkin::requireJars).isInstanceOf(MinerException.class)
                .hasMessage("--observe: no local-stack/target/zipkin/zipkin-server.jar; build it with ./mvnw -pl "
                        + "local-stack -am -DskipTests package");
    }
}
