package dev.kafkacoins.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkacoins.protocol.DeadLetters;
import dev.kafkacoins.protocol.HasherTotal;
import dev.kafkacoins.protocol.Topic;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.testsupport.RealKafka;
import dev.kafkacoins.testsupport.RealPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sink against a real broker and a real PostgreSQL: a row the database refuses is dead-lettered and the rest
 * is written; a total that went backwards is kept and reported; a lock held elsewhere times out instead of
 * hanging the sink.
 */
@Timeout(240)
class SinkRefusalsIT {

    @RegisterExtension
    static final RealKafka KAFKA = new RealKafka(Topics.ALL.toArray(Topic[]::new));
    @RegisterExtension
    static final RealPostgres POSTGRES = new RealPostgres();

    private static Pipeline pipeline;
    private static ConfigurableApplicationContext sink;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startSink() throws Exception {
        pipeline = new Pipeline(KAFKA, POSTGRES);
        pipeline.migrate();
        // A schema stricter than the protocol (as a newer migration may be): PostgreSQL refuses this hasher's rows
        sql("ALTER TABLE hasher_totals ADD CONSTRAINT no_banned_hasher CHECK (hasher <> 'banned')");
        sink = pipeline.startSink();
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    @Test
    void aRowPostgresRefusesIsDeadLetteredAndTheOthersOfItsBatchAreWritten() throws Exception {
        long now = System.currentTimeMillis();
        // Given, in one burst: good totals around one PostgreSQL refuses and one whose time is beyond its range
        KAFKA.probe().send(Topics.TOTALS, List.of(HasherTotal.of("ok-1", 100, 0, 1, now, now),
                HasherTotal.of("banned", 200, 0, 1, now, now),
                HasherTotal.of("far-future", 300, 0, 1, now, Long.MAX_VALUE),
                HasherTotal.of("ok-2", 400, 0, 1, now, now)), HasherTotal::hasher);

        // Then the good rows are written and the two others are in the sink's dead-letter topic, saying why
        await().atMost(Duration.ofSeconds(60)).until(() -> hashes("ok-1") == 100 && hashes("ok-2") == 400);
        List<ConsumerRecord<byte[], byte[]>> letters = await().atMost(Duration.ofSeconds(30))
                .until(() -> KAFKA.probe().readCommitted(Topics.SINK_DLQ), l -> l.size() >= 2);
        assertThat(letters).hasSize(2);
        assertThat(letters).extracting(l -> DeadLetters.header(l.headers(), DeadLetters.ERROR)).anySatisfy(error ->
                assertThat(error).startsWith("HasherTotal.lastCreatedAt 9223372036854775807")).anySatisfy(error ->
                assertThat(error).startsWith("hasher_totals: PostgreSQL refused the row (SQLState 23514)")
                        .contains("no_banned_hasher"));
        assertThat(letters).allSatisfy(l -> {
            assertThat(DeadLetters.header(l.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo(Topics.TOTALS.name());
            assertThat(new String(l.value(), StandardCharsets.UTF_8)).contains("\"hasher\":\"");
        });
        assertThat(hashes("banned")).isEqualTo(-1);
        assertThat(hashes("far-future")).isEqualTo(-1);
        MeterRegistry metrics = sink.getBean(MeterRegistry.class);
        assertThat(metrics.get("kafkacoins.sink.dead.letters").tag("reason", "refused-by-postgres").counter().count())
                .isEqualTo(1);
        assertThat(health()).contains("\"status\":\"UP\"");
        System.out.printf("REFUSALS: %d dead letters, ok-1=%d ok-2=%d written%n", letters.size(), hashes("ok-1"),
                hashes("ok-2"));
    }

    @Test
    void aTotalThatWentBackwardsIsKeptAtItsMaximumAndReportedUntilItCatchesUp() throws Exception {
        long now = System.currentTimeMillis();
        KAFKA.probe().send(Topics.TOTALS, List.of(HasherTotal.of("lost", 5_000, 0, 50, now, now)), HasherTotal::hasher);
        await().atMost(Duration.ofSeconds(60)).until(() -> hashes("lost") == 5_000);

        // When Kafka's totals restart from zero (the cluster lost its data)
        KAFKA.probe().send(Topics.TOTALS, List.of(HasherTotal.of("lost", 70, 0, 1, now + 1, now + 1)),
                HasherTotal::hasher);

        // Then PostgreSQL keeps the larger total, and the sink says so in its health and its metrics
        await().atMost(Duration.ofSeconds(30)).until(() -> health().contains("totalsBehindPostgres"));
        assertThat(health()).contains("\"lost\":{\"stored\":5000,\"offered\":70");
        assertThat(hashes("lost")).isEqualTo(5_000);
        assertThat(sink.getBean(MeterRegistry.class).get("kafkacoins.sink.totals.behind.hashers").gauge().value())
                .isEqualTo(1);

        // When Kafka's total passes PostgreSQL's again, Then it is written and the report clears
        KAFKA.probe().send(Topics.TOTALS, List.of(HasherTotal.of("lost", 6_000, 0, 60, now + 2, now + 2)),
                HasherTotal::hasher);
        await().atMost(Duration.ofSeconds(30)).until(() -> hashes("lost") == 6_000);
        assertThat(health()).doesNotContain("totalsBehindPostgres");
    }

    @Test
    void aLockHeldElsewhereTimesOutTheWriteSoTheSinkIsDegradedAndCatchesUpAfter() throws Exception {
        long now = System.currentTimeMillis();
        try (Connection holder = POSTGRES.server().connect(RealPostgres.DATABASE)) {
            // Given a session that holds a lock every write to hasher_totals waits for
            holder.setAutoCommit(false);
            holder.createStatement().execute("LOCK TABLE hasher_totals IN EXCLUSIVE MODE");
            KAFKA.probe().send(Topics.TOTALS, List.of(HasherTotal.of("locked", 10, 0, 1, now, now)),
                    HasherTotal::hasher);

            // Then the sink's statement times out (10 s) and it reports itself degraded instead of hanging UP
            await().atMost(Duration.ofSeconds(60)).until(() -> health().contains("\"status\":\"DEGRADED\""));
            assertThat(health()).contains("statement timeout");
            holder.rollback();
        }
        // And once the lock is gone it writes the row by itself
        await().atMost(Duration.ofSeconds(60)).until(() -> hashes("locked") == 10);
        await().atMost(Duration.ofSeconds(30)).until(() -> health().contains("\"status\":\"UP\""));
    }

    private String health() throws Exception {
        String port = sink.getEnvironment().getProperty("local.server.port");
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The hasher's stored total, -1 when it has no row. */
    private static long hashes(String hasher) throws SQLException {
        try (Connection c = POSTGRES.server().connect(RealPostgres.DATABASE);
             ResultSet rows = c.createStatement().executeQuery(
                     "SELECT hashes FROM hasher_totals WHERE hasher = '" + hasher + "'")) {
            return rows.next() ? rows.getLong(1) : -1;
        }
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = POSTGRES.server().connect(RealPostgres.DATABASE)) {
            c.createStatement().execute(statement);
        }
    }
}
