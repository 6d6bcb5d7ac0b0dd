package dev.kafkacoins.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkacoins.protocol.ConsumerGroups;
import dev.kafkacoins.protocol.HashKernel;
import dev.kafkacoins.protocol.Topic;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.sink.SinkApplication;
import dev.kafkacoins.testsupport.ChildJvm;
import dev.kafkacoins.testsupport.RealKafka;
import dev.kafkacoins.testsupport.RealPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** The sink's faults: PostgreSQL away for more than 10 s, and the sink killed mid-stream. Totals stay exact. */
@Timeout(300)
class SinkFaultsIT {

    /** Each test gets fresh servers: the totals of one must not carry into the other. */
    @RegisterExtension
    final RealKafka kafka = new RealKafka(Topics.ALL.toArray(Topic[]::new));
    @RegisterExtension
    final RealPostgres postgres = new RealPostgres();

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void postgresStoppedForMoreThanTenSecondsThenRestartedLosesNothing() throws Exception {
        try (Pipeline pipeline = new Pipeline(kafka, postgres)) {
            pipeline.migrate();
            pipeline.startHasher(1);
            pipeline.startAggregator();
            ConfigurableApplicationContext sink = pipeline.startSink();
            pipeline.startRng(20, 65536, 20);
            await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.totalHashesInPostgres() > 0);
            assertThat(health(sink)).contains("\"status\":\"UP\"");

            // When PostgreSQL stops mid-stream
            postgres.server().stop();
            long stoppedAt = System.nanoTime();

            // Then the sink reports itself degraded (not down), stays alive, and its lag grows
            await().atMost(Duration.ofSeconds(30)).until(() -> health(sink).contains("\"status\":\"DEGRADED\""));
            long lagEarly = kafka.probe().lag(ConsumerGroups.SINK, Topics.RATES);
            await().pollInterval(Duration.ofMillis(500)).atMost(Duration.ofSeconds(30))
                    .until(() -> System.nanoTime() - stoppedAt >= Duration.ofSeconds(12).toNanos());
            assertThat(health(sink)).contains("\"status\":\"DEGRADED\"");
            long lagLate = kafka.probe().lag(ConsumerGroups.SINK, Topics.RATES);
            System.out.printf("OUTAGE: sink lag on miner.rates %d -> %d while PostgreSQL was stopped%n", lagEarly,
                    lagLate);
            assertThat(lagLate).isGreaterThan(lagEarly);

            // When PostgreSQL comes back, Then the sink catches up by itself and the totals are exact
            postgres.server().start();
            await().atMost(Duration.ofSeconds(60)).until(() -> health(sink).contains("\"status\":\"UP\""));
            pipeline.stopRng();
            long expected = pipeline.producedNonces();
            await().atMost(Duration.ofSeconds(90)).until(() -> pipeline.totalHashesInPostgres() >= expected);
            assertThat(pipeline.totalHashesInPostgres()).isEqualTo(expected);
            assertThat(pipeline.coinRows()).allMatch(HashKernel::verify);
        }
    }

    @Test
    void aSinkKilledMidStreamAndRestartedLosesAndDuplicatesNothing() throws Exception {
        Path logs = Path.of("target", "sink-logs");
        try (Pipeline pipeline = new Pipeline(kafka, postgres)) {
            pipeline.migrate();
            pipeline.startHasher(1);
            pipeline.startAggregator();
            pipeline.startRng(30, 65536, 16);
            try (ChildJvm first = ChildJvm.start("sink-1", SinkApplication.class, pipeline.sinkArgs(), logs)) {
                await().atMost(Duration.ofSeconds(90)).until(() -> pipeline.totalHashesInPostgres() > 0);
                // Let it write batch after batch, then kill it: no commit, no clean close
                long before = pipeline.totalHashesInPostgres();
                await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.totalHashesInPostgres() > before);
                first.kill();
            }
            long atKill = pipeline.totalHashesInPostgres();
            try (ChildJvm second = ChildJvm.start("sink-2", SinkApplication.class, pipeline.sinkArgs(), logs)) {
                await().atMost(Duration.ofSeconds(90)).until(() -> pipeline.totalHashesInPostgres() > atKill);
                pipeline.stopRng();
                long expected = pipeline.producedNonces();
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                    assertThat(second.isAlive()).as(second.logTail(30)).isTrue();
                    assertThat(pipeline.totalHashesInPostgres()).isGreaterThanOrEqualTo(expected);
                });
                assertThat(pipeline.totalHashesInPostgres()).isEqualTo(expected);
                assertThat(pipeline.coinRows()).allMatch(HashKernel::verify);
                System.out.printf("SINK KILL: %d hashes at the kill, %d after restart and drain, %d produced%n", atKill,
                        pipeline.totalHashesInPostgres(), expected);
            }
        }
    }

    private String health(ConfigurableApplicationContext app) throws Exception {
        String port = app.getEnvironment().getProperty("local.server.port");
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
