package dev.kafkacoins.rng;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.testsupport.PrometheusScrape;
import dev.kafkacoins.testsupport.RealKafka;
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
 * rng's rate mode on a real broker. Auto mode needs the real hasher group to keep pace with, so it is tested in
 * system-tests (RngAutoPacingIT).
 */
@Timeout(120)
class RngPacingIT {

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

            // And its producer's metrics reach Prometheus: at least the blocks seen so far were sent
            PrometheusScrape scrape = PrometheusScrape.of(Integer.parseInt(rng.getEnvironment()
                    .getProperty("local.server.port")));
            assertThat(scrape.sum("kafka_producer_record_send_total", Map.of("client_id", "rng-it")))
                    .isGreaterThanOrEqualTo(first + 40);
        }
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
