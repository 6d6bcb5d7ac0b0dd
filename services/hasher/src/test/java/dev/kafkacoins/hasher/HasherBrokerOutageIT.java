package dev.kafkacoins.hasher;

import static dev.kafkacoins.hasher.HasherExactlyOnceIT.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkacoins.protocol.Block;
import dev.kafkacoins.protocol.Coin;
import dev.kafkacoins.protocol.ConsumerGroups;
import dev.kafkacoins.protocol.ExactlyOnce;
import dev.kafkacoins.protocol.HashReport;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.testsupport.RealKafka;
import dev.kafkacoins.testsupport.TestBlocks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The broker is killed while two hasher threads are mid-transaction and stays away longer than every client
 * timeout (configured short here: 3-8 s, so the outage takes 20 s rather than the minutes the defaults would
 * need), then comes back on the same port and log directory. Without a restart, the hasher resumes within a
 * minute and every block is still reported exactly once. Meanwhile its health tells the truth: alive (no reason
 * to restart it), not ready (the broker is away), and ready again afterwards.
 */
@Timeout(300)
class HasherBrokerOutageIT {

    static final Duration OUTAGE = Duration.ofSeconds(20);

    @RegisterExtension
    static final RealKafka KAFKA = RealKafka.restartable(Topics.BLOCKS, Topics.BLOCKS_DLQ, Topics.HASHES,
            Topics.COINS);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void hashingResumesByItselfAfterTheBrokerWasAwayLongerThanTheClientTimeouts() throws Exception {
        // Given a backlog of about a minute of work for two threads, and both threads committing
        List<Block> blocks = TestBlocks.random("out", 300, 1 << 17, 14, 7);
        KAFKA.probe().send(Topics.BLOCKS, blocks, Block::id);
        try (ConfigurableApplicationContext hasher = HasherRun.start(KAFKA, "out", 2,
                // Every client timeout well under the outage.
                "--spring.kafka.producer.properties.max.block.ms=5000",
                "--spring.kafka.producer.properties.request.timeout.ms=3000",
                "--spring.kafka.producer.properties.delivery.timeout.ms=8000",
                "--spring.kafka.consumer.properties.request.timeout.ms=3000",
                "--spring.kafka.consumer.properties.default.api.timeout.ms=5000",
                "--hasher.transaction-timeout=8s")) {
            int port = ((WebServerApplicationContext) hasher).getWebServer().getPort();
            await().atMost(Duration.ofSeconds(90)).until(() -> reports().size() >= 20);
            assertThat(status(port, "readiness")).isEqualTo(200);

            // When the broker is killed mid-transaction and stays away longer than the clients' timeouts
            KAFKA.stopBroker();
            long killed = System.nanoTime();
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(status(port, "readiness")).as("readiness while the broker is away").isEqualTo(503));
            await().pollDelay(OUTAGE.minusNanos(System.nanoTime() - killed)).atMost(OUTAGE.plusSeconds(5))
                    .until(() -> true);
            assertThat(status(port, "liveness")).as("liveness: the loops are recovering, not dead").isEqualTo(200);
            KAFKA.startBroker();
            long back = System.nanoTime();
            int before = reports().size();

            // Then hashing resumes within a minute of the broker's return, with no restart
            await().atMost(Duration.ofSeconds(60)).until(() -> reports().size() > before);
            System.out.printf("BROKER OUTAGE: away %d s, first new committed report %.1f s after its return "
                    + "(%d reports before)%n", Duration.ofNanos(back - killed).toSeconds(),
                    (System.nanoTime() - back) / 1e9, before);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(status(port, "readiness")).as("readiness after the broker's return").isEqualTo(200));
            await().atMost(Duration.ofSeconds(150)).until(() -> KAFKA.probe().lag(ConsumerGroups.HASHER, Topics.BLOCKS) == 0);
            assertThat(status(port, "liveness")).isEqualTo(200);
        }

        // And every block was reported exactly once, every coin re-verifies and none is there twice
        List<HashReport> reports = reports();
        List<Coin> coins = values(Topics.COINS.name(), KAFKA.probe().readCommitted(Topics.COINS), Coin.class);
        assertThat(ExactlyOnce.judge(blocks, reports, coins).problems()).isEmpty();
    }

    private static List<HashReport> reports() {
        return values(Topics.HASHES.name(), KAFKA.probe().readCommitted(Topics.HASHES), HashReport.class);
    }

    private int status(int port, String group) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/" + group))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
