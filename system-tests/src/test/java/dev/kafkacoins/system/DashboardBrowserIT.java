package dev.kafkacoins.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkacoins.protocol.Topic;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.testsupport.RealKafka;
import dev.kafkacoins.testsupport.RealPostgres;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The dashboard in a real headless Chromium, with the whole pipeline running behind it: rng → hasher →
 * aggregator → sink → PostgreSQL → webui. What a person would look at: the rate number, the chart, a coin
 * verifying on click, the consumer group, the connection state. A screenshot is left in target/.
 */
@Timeout(240)
class DashboardBrowserIT {

    @RegisterExtension
    static final RealKafka KAFKA = new RealKafka(Topics.ALL.toArray(Topic[]::new));
    @RegisterExtension
    static final RealPostgres POSTGRES = new RealPostgres();

    @Test
    void theRateAndChartUpdateAndACoinVerifiesOnClick() throws Exception {
        HeadlessChromium.Tools tools = HeadlessChromium.tools();
        try (Pipeline pipeline = new Pipeline(KAFKA, POSTGRES)) {
            pipeline.migrate();
            pipeline.startHasher(1);
            pipeline.startAggregator();
            pipeline.startSink();
            // Difficulty 16 with 65536 nonces: about one coin per block
            pipeline.startRng(10, 65536, 16);
            try (ConfigurableApplicationContext webui = pipeline.startWebui()) {
                HeadlessChromium.look(tools, "dashboard-failure.png", browser -> {
                    browser.get(Pipeline.baseUrl(webui) + "/");

                    // The connection is live and the rate shows a number
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                        assertThat(browser.findElement(By.id("connection")).getText()).isEqualTo("live");
                        assertThat(browser.findElement(By.id("rate")).getText()).matches("[0-9.]+[KMB]?");
                    });
                    // The chart keeps filling as new seconds are counted
                    int pointsBefore = chartPoints(browser);
                    await().atMost(Duration.ofSeconds(30)).until(() -> chartPoints(browser) > pointsBefore);

                    // A coin appears; clicking it re-verifies it
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> !browser.findElements(By.cssSelector("#coin-list li")).isEmpty());
                    // A new coin may replace the list between finding an entry and clicking it: try again then.
                    AtomicReference<String> hash = new AtomicReference<>();
                    await().atMost(Duration.ofSeconds(15)).ignoreExceptionsMatching(HeadlessChromium::rerendering)
                            .untilAsserted(() -> {
                                WebElement coin = browser.findElements(By.cssSelector("#coin-list li")).getFirst();
                                hash.set(coin.getText());
                                coin.click();
                            });
                    await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                            assertThat(browser.findElement(By.id("coin-check")).getText())
                                    .startsWith("✓ verified").contains(hash.get()));

                    // The consumer group shows the hasher working
                    await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                            assertThat(browser.findElement(By.id("members")).getText()).contains("e2e-t0"));

                    assertThat(Files.size(HeadlessChromium.screenshot(browser, "dashboard.png"))).isPositive();
                });
            }
        }
    }

    private static int chartPoints(ChromeDriver browser) {
        String points = browser.findElement(By.id("chart")).getDomAttribute("data-points");
        return points == null ? 0 : Integer.parseInt(points);
    }
}
