package dev.kafkacoins.hasher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.service.ProcessExit;
import dev.kafkacoins.testsupport.ChildJvm;
import dev.kafkacoins.testsupport.RealKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A hashing thread that cannot recover (here: a client setting the producer refuses, which new clients would
 * refuse again) fails liveness, the probe a kubelet restarts on, and ends its process with status 70.
 */
@Timeout(120)
class HasherHealthIT {

    private static final String REFUSED_SETTING = "--spring.kafka.producer.properties.compression.type=bogus";

    @RegisterExtension
    static final RealKafka KAFKA = new RealKafka(Topics.BLOCKS, Topics.BLOCKS_DLQ, Topics.HASHES, Topics.COINS);

    static final List<String> EXITS = new CopyOnWriteArrayList<>();

    /** Records the exit instead of ending the test's JVM, so the dead loop's health can be read. */
    @Configuration(proxyBeanMethods = false)
    static class RecordedExit {
        @Bean
        ProcessExit processExit() {
            return (who, cause) -> EXITS.add(who + ": " + cause);
        }
    }

    @Test
    void aDeadLoopFailsLivenessWhileTheBrokerKeepsReadinessUp() throws Exception {
        try (ConfigurableApplicationContext hasher = HasherApplication.application().sources(RecordedExit.class)
                .run("--spring.kafka.bootstrap-servers=" + KAFKA.bootstrapServers(), "--server.port=0",
                        "--hasher.instance-id=dead", "--hasher.threads=1", REFUSED_SETTING)) {
            int port = ((WebServerApplicationContext) hasher).getWebServer().getPort();

            await().atMost(Duration.ofSeconds(30)).until(() -> !EXITS.isEmpty());
            assertThat(EXITS).singleElement().asString().startsWith("dead-t0: ").contains("compression.type");
            assertThat(get(port, "liveness").statusCode()).isEqualTo(503);
            assertThat(get(port, "liveness").body()).contains("\"dead-t0\"").contains("FAILED");
            assertThat(get(port, "readiness").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aDeadLoopEndsItsProcessWithStatus70() {
        try (ChildJvm hasher = ChildJvm.start("fatal", HasherApplication.class, List.of(
                "--spring.kafka.bootstrap-servers=" + KAFKA.bootstrapServers(), "--server.port=0",
                "--hasher.instance-id=fatal", "--hasher.threads=1", REFUSED_SETTING), Path.of("target", "health-logs"))) {
            assertThat(hasher.awaitExit()).as("exit status; log:%n%s", hasher.logTail(30)).isEqualTo(ProcessExit.STATUS);
            assertThat(hasher.logTail(200)).contains("fatal-t0 cannot recover");
        }
    }

    private static HttpResponse<String> get(int port, String group) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/health/" + group)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
