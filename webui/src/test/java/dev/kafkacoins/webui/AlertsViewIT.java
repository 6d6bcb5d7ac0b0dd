package dev.kafkacoins.webui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkacoins.testsupport.ChildProcess;
import dev.kafkacoins.testsupport.RealPostgres;
import dev.kafkacoins.testsupport.RequiredTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * {@code GET /api/alerts} against a real Prometheus (Debian's, as {@code ./miner up --observe} runs it) behind basic
 * auth, evaluating rules of which one fires at once, one stays pending for an hour and one never fires: the webui
 * says what Prometheus says, firing first, and says plainly when it cannot read it (WebuiApiIT: without one).
 */
@Timeout(120)
class AlertsViewIT {

    @RegisterExtension
    static final RealPostgres POSTGRES = new RealPostgres();

    private static final String USER = "miner";
    private static final String PASSWORD = "alerts-it-password";

    @TempDir
    static Path work;
    private static ChildProcess prometheus;
    private static int port;

    /** Prometheus lists alerts in the rules file's order: the pending rule comes first there, last in the answer. */
    @BeforeAll
    static void startPrometheus() throws Exception {
        Path binary = RequiredTool.onPath("prometheus", "Debian: apt-get install prometheus (.ci/run installs it)")
                .path();
        Files.writeString(work.resolve("rules.yml"), """
                groups:
                  - name: alerts-it
                    interval: 1s
                    rules:
                      - alert: PendingForAnHour
                        expr: vector(1)
                        for: 1h
                        labels: {severity: critical}
                        annotations: {summary: pending until an hour has passed}
                      - alert: FiresAtOnce
                        expr: vector(1)
                        labels: {severity: warning}
                        annotations: {summary: fires at the first evaluation}
                      - alert: NeverFires
                        expr: vector(0) > 1
                        annotations: {summary: never}
                """);
        Files.writeString(work.resolve("prometheus.yml"), """
                global:
                  evaluation_interval: 1s
                rule_files: [rules.yml]
                """);
        Files.writeString(work.resolve("web.yml"), "basic_auth_users:\n  " + USER + ": '"
                + new BCryptPasswordEncoder(6).encode(PASSWORD) + "'\n");
        port = ChildProcess.freePort();
        WebuiRun.migrate(POSTGRES);
        prometheus = ChildProcess.start("prometheus", List.of(binary.toString(),
                "--config.file=" + work.resolve("prometheus.yml"), "--web.config.file=" + work.resolve("web.yml"),
                "--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.path=" + work.resolve("tsdb")),
                work, work);
        prometheus.awaitListening(port, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopPrometheus() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @Test
    void theFiringAlertComesFirstThenThePendingOneAndTheQuietRuleNotAtAll() {
        try (ConfigurableApplicationContext webui = webui(PASSWORD)) {
            WebTestClient client = client(webui);
            await("Prometheus evaluated both rules").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    client.get().uri("/api/alerts").exchange()
                            .expectStatus().isOk()
                            .expectBody()
                            .jsonPath("$.prometheus").isEqualTo("http://127.0.0.1:" + port)
                            .jsonPath("$.alerts.length()").isEqualTo(2)
                            .jsonPath("$.alerts[0].name").isEqualTo("FiresAtOnce")
                            .jsonPath("$.alerts[0].state").isEqualTo("firing")
                            .jsonPath("$.alerts[0].severity").isEqualTo("warning")
                            .jsonPath("$.alerts[0].summary").isEqualTo("fires at the first evaluation")
                            .jsonPath("$.alerts[0].since").isNotEmpty()
                            .jsonPath("$.alerts[1].name").isEqualTo("PendingForAnHour")
                            .jsonPath("$.alerts[1].state").isEqualTo("pending"));
        }
    }

    @Test
    void aWrongPasswordIsA503ThatNamesTheLoginSettings() {
        try (ConfigurableApplicationContext webui = webui("not-" + PASSWORD)) {
            client(webui).get().uri("/api/alerts").exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.title").isEqualTo("Prometheus unavailable")
                    .jsonPath("$.detail").isEqualTo("Prometheus at http://127.0.0.1:" + port + " refused the "
                            + "webui's login (webui.prometheus.username and webui.prometheus.password)");
        }
    }

    @Test
    void aPrometheusThatIsNotThereIsA503() {
        int nobody = ChildProcess.freePort();
        try (ConfigurableApplicationContext webui = WebuiRun.start(POSTGRES,
                "--webui.prometheus.url=http://127.0.0.1:" + nobody)) {
            client(webui).get().uri("/api/alerts").exchange()
                    .expectStatus().isEqualTo(503)
                    .expectBody()
                    .jsonPath("$.detail").value(detail -> assertThat((String) detail)
                            .startsWith("Prometheus at http://127.0.0.1:" + nobody + " cannot be read"));
        }
    }

    private static ConfigurableApplicationContext webui(String password) {
        return WebuiRun.start(POSTGRES, "--webui.prometheus.url=http://127.0.0.1:" + port + "/",
                "--webui.prometheus.username=" + USER, "--webui.prometheus.password=" + password);
    }

    private static WebTestClient client(ConfigurableApplicationContext webui) {
        return WebTestClient.bindToServer().baseUrl(WebuiRun.baseUrl(webui)).build();
    }
}
