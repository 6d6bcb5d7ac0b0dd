package dev.kafkacoins.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkacoins.protocol.HasherTotal;
import dev.kafkacoins.protocol.RateWindow;
import dev.kafkacoins.protocol.Topic;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.sink.SinkApplication;
import dev.kafkacoins.testsupport.RealKafka;
import dev.kafkacoins.testsupport.RealPostgres;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** Old rate windows disappear on their own; recent windows, totals and coins stay. */
@Timeout(120)
class RateRetentionIT {

    @RegisterExtension
    static final RealKafka KAFKA = new RealKafka(Topics.ALL.toArray(Topic[]::new));
    @RegisterExtension
    static final RealPostgres POSTGRES = new RealPostgres();

    @Test
    void rateWindowsOlderThanTheRetentionAreDeletedAndTotalsKept() throws Exception {
        try (Pipeline pipeline = new Pipeline(KAFKA, POSTGRES)) {
            pipeline.migrate();
            long now = System.currentTimeMillis();
            long twoDaysAgo = now - Duration.ofDays(2).toMillis();
            KAFKA.probe().send(Topics.RATES, List.of(
                    RateWindow.of("old", twoDaysAgo, twoDaysAgo + 1000, 10, 0, 1, twoDaysAgo),
                    RateWindow.of("new", now, now + 1000, 20, 0, 1, now)), RateWindow::hasher);
            KAFKA.probe().send(Topics.TOTALS, List.of(HasherTotal.of("old", 10, 0, 1, twoDaysAgo, twoDaysAgo)),
                    HasherTotal::hasher);

            // Given both windows in the table, written by a sink whose retention has not run yet (its first
            // run is an hour after start)
            try (ConfigurableApplicationContext sink = SinkApplication.application().run(
                    concat(pipeline.sinkArgs(), "--sink.retention-interval=1h"))) {
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        pipeline.queryLong("SELECT count(*) FROM hash_rates WHERE hasher IN ('old', 'new')") == 2
                                && pipeline.queryLong("SELECT count(*) FROM hasher_totals") == 1);
            }
            assertThat(pipeline.queryLong("SELECT count(*) FROM hash_rates WHERE hasher = 'old'")).isEqualTo(1);

            // When a sink runs its retention every second
            try (ConfigurableApplicationContext sink = SinkApplication.application().run(
                    concat(pipeline.sinkArgs(), "--sink.retention-interval=1s"))) {
                // Then the window of two days ago goes, and the recent window and the totals stay
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        pipeline.queryLong("SELECT count(*) FROM hash_rates WHERE hasher = 'old'") == 0);
                assertThat(pipeline.queryLong("SELECT count(*) FROM hash_rates WHERE hasher = 'new'")).isEqualTo(1);
                assertThat(pipeline.queryLong("SELECT hashes FROM hasher_totals WHERE hasher = 'old'")).isEqualTo(10);
            }
        }
    }

    private static String[] concat(List<String> args, String extra) {
        return Stream.concat(args.stream(), Stream.of(extra)).toArray(String[]::new);
    }
}
