package dev.kafkacoins.rng;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkacoins.hasher.HasherApplication;
import dev.kafkacoins.protocol.Block;
import dev.kafkacoins.protocol.ConsumerGroups;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.testsupport.RealKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** rng's two modes on a real broker: a fixed rate, and a backlog bounded by the hasher group's lag. */
@Timeout(120)
class RngPacingIT {

    /** A broker per test: both tests use miner.blocks and the hasher group from a clean start. */
    @RegisterExtension
    final RealKafka kafka = new RealKafka();

    @Test
    void rateModeKeepsPublishingBlocksAndReportsItsHealth() throws Exception {
        // The rate's arithmetic is PacerTest's, on a fake clock; here that the publisher runs it on the broker
        try (ConfigurableApplicationContext rng = rng("--rng.mode=rate", "--rng.rate=20", "--rng.nonces=1024")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> kafka.probe().endOffsetSum(Topics.BLOCKS) > 0);
            long first = kafka.probe().endOffsetSum(Topics.BLOCKS);
            await().atMost(Duration.ofSeconds(60)).until(() -> kafka.probe().endOffsetSum(Topics.BLOCKS) >= first + 40);

            // And its probes see the publisher (liveness) and the broker (readiness)
            assertThat(health(rng, "liveness")).contains("\"rng-publisher\"").contains("RUNNING");
            assertThat(health(rng, "readiness")).contains("\"dependencies\"").contains("\"cluster\"");
        }
    }

    @Test
    void autoModeKeepsTheHasherLagUnderItsBoundWhileASlowHasherRuns() {
        int maxLag = 10;
        // Blocks of the maximum size make one hasher thread take a fraction of a second per block.
        try (ConfigurableApplicationContext rng = rng("--rng.mode=auto", "--rng.max-lag=" + maxLag,
                "--rng.lag-check-interval=100ms", "--rng.nonces=" + Block.MAX_NONCES, "--rng.difficulty=40");
             ConfigurableApplicationContext hasher = HasherApplication.application().run(
                     "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(), "--server.port=0",
                     "--hasher.instance-id=slow", "--hasher.threads=1")) {
            // The window opens once the hasher has committed a block: on a loaded machine its JVM may take a
            // while to join, and until then there is nothing for rng to keep pace with.
            await().pollInterval(Duration.ofMillis(200)).atMost(Duration.ofSeconds(90))
                    .until(() -> committed(ConsumerGroups.HASHER) >= 1);
            long producedAtStart = kafka.probe().endOffsetSum(Topics.BLOCKS);
            long committedAtStart = committed(ConsumerGroups.HASHER);
            AtomicLong maxSeen = new AtomicLong();
            long startNanos = System.nanoTime();
            await().pollInterval(Duration.ofMillis(200)).atMost(Duration.ofSeconds(30)).until(() -> {
                maxSeen.accumulateAndGet(kafka.probe().lag(ConsumerGroups.HASHER, Topics.BLOCKS), Math::max);
                return System.nanoTime() - startNanos >= Duration.ofSeconds(15).toNanos();
            });
            long produced = kafka.probe().endOffsetSum(Topics.BLOCKS);
            long consumed = committed(ConsumerGroups.HASHER) - committedAtStart;

            System.out.printf("AUTO MODE: max observed lag %d (bound %d), %d blocks produced and %d hashed in 15 s%n",
                    maxSeen.get(), maxLag, produced - producedAtStart, consumed);
            assertThat(maxSeen.get()).isPositive().isLessThanOrEqualTo(maxLag);
            // rng kept producing as the hasher consumed, rather than stopping at the bound
            assertThat(consumed).isPositive();
            assertThat(produced - producedAtStart).isGreaterThanOrEqualTo(consumed - maxLag).isPositive();
        }
    }

    /** Blocks the group has committed: what rng produced less what is still waiting. */
    private long committed(String group) {
        return kafka.probe().endOffsetSum(Topics.BLOCKS) - kafka.probe().lag(group, Topics.BLOCKS);
    }

    private static String health(ConfigurableApplicationContext app, String group) throws Exception {
        String port = app.getEnvironment().getProperty("local.server.port");
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/health/" + group)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(group + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    private ConfigurableApplicationContext rng(String... settings) {
        String[] args = new String[settings.length + 3];
        args[0] = "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers();
        args[1] = "--server.port=0";
        args[2] = "--rng.instance-id=it";
        System.arraycopy(settings, 0, args, 3, settings.length);
        return RngApplication.application().run(args);
    }
}
