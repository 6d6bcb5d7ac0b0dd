package dev.kafkacoins.hasher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkacoins.protocol.Block;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.testsupport.ChildJvm;
import dev.kafkacoins.testsupport.PrometheusScrape;
import dev.kafkacoins.testsupport.RealKafka;
import dev.kafkacoins.testsupport.TestBlocks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The hasher's Kafka clients reach {@code /actuator/prometheus} tagged with the hasher id, and keep reporting
 * live values after a thread recovers with new clients (here: a zombie with the same transactional id fences it).
 */
@Timeout(180)
class HasherClientMetricsIT {

    private static final String SENT = "kafka_producer_record_send_total";
    private static final Map<String, String> METERED_T0 = Map.of("hasher", "metered-t0");

    @RegisterExtension
    static final RealKafka KAFKA = new RealKafka(Topics.BLOCKS, Topics.BLOCKS_DLQ, Topics.HASHES, Topics.COINS);

    @Test
    void clientMetricsCarryTheHasherIdAndStayLiveAcrossANewLife() {
        try (ConfigurableApplicationContext hasher = HasherRun.start(KAFKA, "metered", 1)) {
            int port = ((WebServerApplicationContext) hasher).getWebServer().getPort();

            // Given a hasher that has reported 50 blocks
            send("first", 50);
            await().atMost(Duration.ofSeconds(60)).until(() -> PrometheusScrape.of(port).sum(SENT, METERED_T0) >= 50);

            // Then its consumer's and its producer's metrics are there under its id, for the dashboards
            PrometheusScrape first = PrometheusScrape.of(port);
            assertThat(first.samples("kafka_consumer_fetch_manager_records_lag_max", METERED_T0)).isNotEmpty();
            assertThat(first.samples("kafka_producer_txn_commit_time_ns_total", METERED_T0)).isNotEmpty();

            // When a zombie under the same id fences its producer, and the thread starts a new life
            // (another process: contexts in one JVM share Reactor Netty's resources, and closing one stops both)
            try (ChildJvm zombie = ChildJvm.start("zombie", HasherApplication.class, List.of(
                    "--spring.kafka.bootstrap-servers=" + KAFKA.bootstrapServers(), "--server.port=0",
                    "--hasher.instance-id=metered", "--hasher.threads=1"), Path.of("target", "metrics-logs"))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> zombie.logTail(100).contains("metered-t0 assigned"));
                send("during", 200);
                await().atMost(Duration.ofSeconds(60)).until(() -> PrometheusScrape.of(port)
                        .sum("kafkacoins_hasher_transactions_aborted_total", METERED_T0) >= 1);
            }
            send("after", 20);
            await().atMost(Duration.ofSeconds(60)).until(() -> KAFKA.probe().lag("hasher", Topics.BLOCKS) == 0);
            double before = PrometheusScrape.of(port).sum(SENT, METERED_T0);

            // Then the series is still one per client and counts the new producer's sends: 100 more blocks move it
            // by at least 100 (one report each), where meters left on the closed producer would stay frozen
            send("later", 100);
            await().atMost(Duration.ofSeconds(60)).until(() -> KAFKA.probe().lag("hasher", Topics.BLOCKS) == 0);
            PrometheusScrape later = PrometheusScrape.of(port);
            assertThat(later.samples(SENT, METERED_T0)).hasSize(1);
            assertThat(later.sum(SENT, METERED_T0)).as("sends counted after the new life")
                    .isGreaterThanOrEqualTo(before + 100);
        }
    }

    private static void send(String prefix, int count) {
        KAFKA.probe().send(Topics.BLOCKS, TestBlocks.random(prefix, count, 256, 8, count), Block::id);
    }
}
