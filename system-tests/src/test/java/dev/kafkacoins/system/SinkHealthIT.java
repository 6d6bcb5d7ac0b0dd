package dev.kafkacoins.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkacoins.protocol.Topic;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.testsupport.PrometheusScrape;
import dev.kafkacoins.testsupport.RealKafka;
import dev.kafkacoins.testsupport.RealPostgres;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sink's probes while PostgreSQL is away, even when no record arrives to fail a write: not ready (503), still
 * alive (a restart would not bring the database back), and ready again by itself once it returns; its
 * {@code kafkacoins_sink_degraded} gauge says the same.
 */
@Timeout(180)
class SinkHealthIT {

    @RegisterExtension
    static final RealKafka KAFKA = new RealKafka(Topics.ALL.toArray(Topic[]::new));
    @RegisterExtension
    static final RealPostgres POSTGRES = new RealPostgres();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void readinessFollowsTheDatabaseAndLivenessTheLoop() throws Exception {
        try (Pipeline pipeline = new Pipeline(KAFKA, POSTGRES)) {
            pipeline.migrate();
            ConfigurableApplicationContext sink = pipeline.startSink();
            String port = sink.getEnvironment().getProperty("local.server.port");
            await().atMost(Duration.ofSeconds(30)).until(() -> status(port, "readiness") == 200);
            assertThat(status(port, "liveness")).isEqualTo(200);
            assertThat(degraded(sink)).isZero();
            // (its consumer's metrics are exported too, for the lag panels)
            assertThat(scrape(sink)
                    .samples("kafka_consumer_fetch_manager_records_lag_max", Map.of())).isNotEmpty();

            // When PostgreSQL stops
            POSTGRES.server().stop();

            // Then the sink is not ready, but alive
            await().atMost(Duration.ofSeconds(30)).until(() -> status(port, "readiness") == 503);
            assertThat(body(port, "readiness")).contains("DEGRADED");
            assertThat(status(port, "liveness")).isEqualTo(200);
            // and says so to Prometheus, for the SinkDegraded alert
            assertThat(degraded(sink)).isOne();

            // When it comes back, Then the sink is ready again without a restart
            POSTGRES.server().start();
            await().atMost(Duration.ofSeconds(30)).until(() -> status(port, "readiness") == 200);
            assertThat(status(port, "liveness")).isEqualTo(200);
            assertThat(degraded(sink)).isZero();
        }
    }

    /**
     * What {@code /actuator/prometheus} serves, read from the registry behind it: on this test's classpath the
     * webui's Spring Security is present too, and locks the sink's endpoint that the sink's own classpath leaves
     * open on 127.0.0.1.
     */
    private static PrometheusScrape scrape(ConfigurableApplicationContext sink) {
        return PrometheusScrape.parse(sink.getBean(PrometheusMeterRegistry.class).scrape());
    }

    private static double degraded(ConfigurableApplicationContext sink) {
        return scrape(sink).samples("kafkacoins_sink_degraded", Map.of()).stream()
                .mapToDouble(PrometheusScrape.Sample::value).reduce((a, b) -> {
                    throw new AssertionError("more than one kafkacoins_sink_degraded series");
                }).orElseThrow(() -> new AssertionError("no kafkacoins_sink_degraded series"));
    }

    private int status(String port, String group) throws Exception {
        return get(port, group).statusCode();
    }

    private String body(String port, String group) throws Exception {
        return get(port, group).body();
    }

    private HttpResponse<String> get(String port, String group) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/" + group))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
