package dev.kafkacoins.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkacoins.protocol.Coin;
import dev.kafkacoins.protocol.DeadLetters;
import dev.kafkacoins.protocol.ExactlyOnce;
import dev.kafkacoins.protocol.HashKernel;
import dev.kafkacoins.protocol.Schema;
import dev.kafkacoins.protocol.Topic;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.testsupport.PrometheusScrape;
import dev.kafkacoins.testsupport.RealKafka;
import dev.kafkacoins.testsupport.RealPostgres;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.springframework.context.ConfigurableApplicationContext;

/** rng → hasher → aggregator → sink → PostgreSQL: once drained, the tables hold exactly what was produced. */
@Timeout(240)
class PipelineIT {

    @RegisterExtension
    static final RealKafka KAFKA = new RealKafka(Topics.ALL.toArray(Topic[]::new));
    @RegisterExtension
    static final RealPostgres POSTGRES = new RealPostgres();

    @Test
    void afterThePipelineDrainsThePostgresTotalsEqualTheProducedNonces() throws Exception {
        try (Pipeline pipeline = new Pipeline(KAFKA, POSTGRES);
             Connection listener = POSTGRES.server().connect(RealPostgres.DATABASE)) {
            pipeline.migrate();
            listener.createStatement().execute("LISTEN " + Schema.NOTIFY_CHANNEL);
            pipeline.startHasher(2);
            ConfigurableApplicationContext aggregator = pipeline.startAggregator();
            pipeline.startSink();

            // Given rng producing 40 blocks/s of 65536 nonces at difficulty 14 (about four coins per block)
            pipeline.startRng(40, 65536, 14);
            await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.blocks() >= 100);
            // ... and, mid-stream, a record on miner.hashes that is not a hash report
            KAFKA.probe().sendRaw(Topics.HASHES, 0, "e2e-t0".getBytes(StandardCharsets.UTF_8),
                    "{\"v\":1,\"hashes\":99999999}".getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.blocks() >= 200);
            pipeline.stopRng();
            long expected = pipeline.producedNonces();

            // When the pipeline drains, Then the totals equal the produced nonces, exactly
            await().atMost(Duration.ofSeconds(90)).until(() -> pipeline.totalHashesInPostgres() >= expected);
            assertThat(pipeline.totalHashesInPostgres()).isEqualTo(expected);
            // And Kafka's committed records keep the exactly-once contract, and each hasher's row matches its reports
            ExactlyOnce.Verdict verdict = pipeline.verdict();
            assertThat(verdict.problems()).isEmpty();
            assertThat(verdict.expectedHashes()).isEqualTo(expected);
            assertThat(pipeline.hasherTotals()).isEqualTo(verdict.perHasher());
            // And Kafka Streams' own metrics reach Prometheus (the Streams dashboard's panels). ObserveIT runs
            // every panel's query on the local stack, the state stores' included, which Micrometer finds up to a
            // minute late. (Read from the registry behind /actuator/prometheus: on this test's shared classpath the
            // webui's Spring Security locks the aggregator's endpoint.)
            PrometheusScrape streams = PrometheusScrape.parse(
                    aggregator.getBean(PrometheusMeterRegistry.class).scrape());
            assertThat(streams.sum("kafka_stream_alive_stream_threads", Map.of())).isGreaterThanOrEqualTo(1);
            assertThat(streams.sum("kafka_stream_thread_process_total", Map.of())).isGreaterThan(0);
            assertThat(streams.samples("kafka_consumer_fetch_manager_records_lag_max", Map.of())).isNotEmpty();
            System.out.printf("PIPELINE: %d blocks, %d nonces produced; %d hashes in hasher_totals%n",
                    pipeline.blocks(), expected, pipeline.totalHashesInPostgres());

            // And the wallet holds each committed coin once, every row re-verifying from seed and nonce
            Set<String> committedCoins = KAFKA.probe().readCommitted(Topics.COINS).stream()
                    .map(r -> new String(r.key())).collect(Collectors.toSet());
            await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.coinRows().size() == committedCoins.size());
            List<Coin> rows = pipeline.coinRows();
            assertThat(rows).isNotEmpty().allMatch(HashKernel::verify);
            assertThat(rows).extracting(Coin::hash).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(committedCoins);
            assertThat(pipeline.queryLong("SELECT SUM(coins) FROM hasher_totals")).isEqualTo(rows.size());

            // And the rate windows hold the same hashes (none was later than the grace in this run)
            assertThat(pipeline.queryLong("SELECT SUM(hashes) FROM hash_rates")).isEqualTo(expected);

            // And the poison went to miner.hashes.dlq, not into any total (they equal the nonces above)
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> KAFKA.probe().readCommitted(Topics.HASHES_DLQ).size() == 1);
            assertThat(DeadLetters.header(KAFKA.probe().readCommitted(Topics.HASHES_DLQ).getFirst().headers(),
                    DeadLetters.ERROR)).isEqualTo("HashReport.block is missing");

            // And every committed batch was announced on the documented channel
            PGNotification[] notes = listener.unwrap(PGConnection.class).getNotifications(5_000);
            assertThat(notes).isNotEmpty();
            assertThat(notes[0].getParameter()).matches("\\{\"rates\":\\d+,\"totals\":\\d+,\"coins\":\\d+}");
        }
    }
}
