package dev.kafkacoins.system;

import dev.kafkacoins.testsupport.RequiredTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.logging.Level;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/** Debian's Chromium, headless, driven by its chromedriver, for the tests that look at a page as a person would. */
public final class HeadlessChromium {

    private HeadlessChromium() {
    }

    /** Debian's browser and its driver, found on the PATH. */
    public record Tools(Path chromium, Path chromedriver) {
    }

    /**
     * An element not there yet, or replaced by the page's next render between finding it and reading it: the
     * dashboard redraws its lists on every update, so a wait on one of its elements tries again on either.
     */
    public static boolean rerendering(Throwable failure) {
        return failure instanceof NoSuchElementException || failure instanceof StaleElementReferenceException;
    }

    /** Fails at once when either is missing: call it before a test starts what the browser will look at. */
    public static Tools tools() {
        return new Tools(
                RequiredTool.onPath("chromium", "Debian: apt-get install chromium (.ci/run installs it)").path(),
                RequiredTool.onPath("chromedriver", "Debian: apt-get install chromium-driver (.ci/run installs it)")
                        .path());
    }

    /** A new browser with a profile of its own and nothing that would reach outside this machine. */
    public static ChromeDriver start(Tools tools) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(tools.chromium().toFile());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--window-size=1400,1000",
                // Under target/ (private to this user, as a temporary directory is): mvn clean removes it, where
                // a profile in /tmp would stay behind after every run.
                "--user-data-dir=" + Files.createTempDirectory(Files.createDirectories(Path.of("target")),
                        "chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(tools.chromedriver().toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** The page as it looks now, as {@code target/<name>}. */
    public static Path screenshot(ChromeDriver browser, String name) throws IOException {
        Path shot = Path.of("target", name);
        Files.createDirectories(shot.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
        return shot;
    }

    /** What a test does with the browser; it may throw what a test throws. */
    @FunctionalInterface
    public interface Look {
        void at(ChromeDriver browser) throws Exception;
    }

    /**
     * Runs {@code look} in a new browser and quits it. When the look fails, the page's console is printed and the
     * page left as {@code target/<failureShot>}: the first two things to read when a page misbehaves.
     */
    public static void look(Tools tools, String failureShot, Look look) throws Exception {
        ChromeDriver browser = start(tools);
        try {
            look.at(browser);
        } catch (AssertionError | RuntimeException e) {
            browser.manage().logs().get(LogType.BROWSER).forEach(entry -> System.out.println("BROWSER " + entry));
            screenshot(browser, failureShot);
            throw e;
        } finally {
            browser.quit();
        }
    }
}
