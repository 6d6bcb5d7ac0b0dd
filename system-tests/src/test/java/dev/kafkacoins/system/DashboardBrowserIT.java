package dev.kafkacoins.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkacoins.protocol.Topic;
import dev.kafkacoins.protocol.Topics;
import dev.kafkacoins.testsupport.RealKafka;
import dev.kafkacoins.testsupport.RealPostgres;
import dev.kafkacoins.testsupport.RequiredTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The dashboard in a real headless Chromium, with the whole pipeline running behind it: rng → hasher →
 * aggregator → sink → PostgreSQL → webui. What a person would look at: the rate number, the chart, a coin
 * verifying on click, the consumer group, the connection state. A screenshot is left in target/.
 */
@Timeout(240)
class DashboardBrowserIT {

    /** Debian's headless browser and its driver, found on the PATH. */
    private record ChromeTools(Path chromium, Path chromedriver) {
    }

    @RegisterExtension
    static final RealKafka KAFKA = new RealKafka(Topics.ALL.toArray(Topic[]::new));
    @RegisterExtension
    static final RealPostgres POSTGRES = new RealPostgres();

    @Test
    void theRateAndChartUpdateAndACoinVerifiesOnClick() throws Exception {
        ChromeTools tools = new ChromeTools(
                RequiredTool.onPath("chromium", "Debian: apt-get install chromium (.ci/run installs it)").path(),
                RequiredTool.onPath("chromedriver", "Debian: apt-get install chromium-driver (.ci/run installs it)")
                        .path());
        try (Pipeline pipeline = new Pipeline(KAFKA, POSTGRES)) {
            pipeline.migrate();
            pipeline.startHasher(1);
            pipeline.startAggregator();
            pipeline.startSink();
            // Difficulty 16 with 65536 nonces: about one coin per block
            pipeline.startRng(10, 65536, 16);
            try (ConfigurableApplicationContext webui = pipeline.startWebui()) {
                ChromeDriver browser = chromium(tools);
                try {
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
                    await().atMost(Duration.ofSeconds(15)).ignoreException(StaleElementReferenceException.class)
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

                    assertThat(Files.size(screenshot(browser, "dashboard.png"))).isPositive();
                } catch (AssertionError | RuntimeException e) {
                    // What the page itself said is the first thing to read when it misbehaves.
                    browser.manage().logs().get(LogType.BROWSER).forEach(entry -> System.out.println("BROWSER " + entry));
                    screenshot(browser, "dashboard-failure.png");
                    throw e;
                } finally {
                    browser.quit();
                }
            }
        }
    }

    private static Path screenshot(ChromeDriver browser, String name) throws Exception {
        Path shot = Path.of("target", name);
        Files.createDirectories(shot.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
        return shot;
    }

    private static int chartPoints(ChromeDriver browser) {
        String points = browser.findElement(By.id("chart")).getDomAttribute("data-points");
        return points == null ? 0 : Integer.parseInt(points);
    }

    /** Debian's Chromium and chromedriver, headless, with nothing that would reach outside this machine. */
    private static ChromeDriver chromium(ChromeTools tools) throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(tools.chromium().toFile());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--window-size=1400,1000",
                "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(tools.chromedriver().toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
