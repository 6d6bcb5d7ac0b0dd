package dev.kafkacoins.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkacoins.deploy.AlertRules;
import dev.kafkacoins.deploy.GrafanaDashboards;
import dev.kafkacoins.local.observe.Prometheus;
import dev.kafkacoins.local.observe.Zipkin;
import dev.kafkacoins.local.supervisor.Leftovers;
import dev.kafkacoins.system.HeadlessChromium;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./miner up --observe} as a user runs it: Prometheus of the stack's own finds every service and the broker
 * with the labels the project's alert rules select on, follows a scale, loads the rules, and lets nobody in without
 * the stack's credentials; the first three alert rules fire on real faults and resolve, and the dashboard shows
 * them (in Chromium) as Prometheus's own alerts page does; and every Grafana panel's query returns series.
 * Needs Debian's prometheus and chromium on the PATH (.ci/run installs them).
 */
class ObserveIT {

    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Two scrapes of the broker (every 30 s) and a little: every target has been scraped by then. */
    private static final Duration SCRAPES = Duration.ofSeconds(75);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Path work;
    private Path data;
    private int base;
    private Process up;
    private final long started = System.nanoTime();

    @BeforeEach
    void setUp() throws IOException {
        work = Files.createDirectories(Path.of("target", "observe-it").toAbsolutePath());
        data = work.resolve("data");
        base = freePortBase();
    }

    @AfterEach
    void tearDown() throws Exception {
        miner("down");
        if (up != null) {
            up.destroyForcibly();
        }
        Leftovers.end(Leftovers.find(new StackLayout(HOME, data)), Duration.ofSeconds(10));
    }

    @Test
    @Timeout(value = 14, unit = TimeUnit.MINUTES)
    void prometheusScrapesTheStackItsAlertsFireOnFaultsAndResolveAndEveryPanelHasData() throws Exception {
        HeadlessChromium.Tools browserTools = HeadlessChromium.tools();
        Path log = work.resolve("up.log");
        up = new ProcessBuilder(HOME.resolve("miner").toString(), "--data-dir", data.toString(), "up", "--fresh",
                "--observe", "--hashers", "2", "--difficulty", "18", "--rate", "4", "--port-base", Integer.toString(base))
                .directory(HOME.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await("./miner up --observe reports all up").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    String output = Files.readString(log);
                    assertThat(up.isAlive()).as("./miner up ended early:\n%s", output).isTrue();
                    return output.contains("all up in");
                });
        phase("up");
        assertThat(Files.readString(log)).contains("Prometheus: http://127.0.0.1:" + (base + 91) + "/ (user miner, "
                + "password prometheus.miner in ");
        String authorization = "Basic " + java.util.Base64.getEncoder().encodeToString(("miner:"
                + Secrets.read(data.resolve("secrets/passwords.properties")).password(Prometheus.SECRET))
                .getBytes(StandardCharsets.UTF_8));

        // Nobody else in: not the API, not the broker's metrics.
        assertThat(status("/api/v1/targets", null)).isEqualTo(401);
        assertThat(status("/api/v1/targets", "Basic " + java.util.Base64.getEncoder().encodeToString(
                "miner:wrong".getBytes(StandardCharsets.UTF_8)))).isEqualTo(401);
        assertThat(statusOf(base + 94, "/metrics", null)).isEqualTo(401);

        Set<String> every = Set.of("rng/rng", "hasher/hasher-1", "hasher/hasher-2", "aggregator/aggregator",
                "sink/sink", "webui/webui", "kafka/kafka");
        await("every service and the broker scraped, up").atMost(SCRAPES).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(activeTargets(authorization)).containsOnlyKeys(every)
                        .allSatisfy((target, health) -> assertThat(health).as(target).isEqualTo("up")));
        assertThat(query(authorization, "up{service=\"hasher\"}").size()).isEqualTo(2);
        await("the broker's ReplicaManager gauge under Strimzi's name").atMost(SCRAPES)
                .pollInterval(Duration.ofSeconds(1)).until(() -> query(authorization,
                        "kafka_server_replicamanager_underreplicatedpartitions{service=\"kafka\"}").size() == 1);

        List<String> groups = new ArrayList<>();
        AlertRules.spec(AlertRules.manifest(HOME)).path("groups").forEach(group -> groups.add(
                group.path("name").asText()));
        JsonNode rules = get(authorization, "/api/v1/rules").path("data").path("groups");
        List<String> loaded = new ArrayList<>();
        rules.forEach(group -> loaded.add(group.path("name").asString()));
        assertThat(loaded).isEqualTo(groups).contains("kafkacoins");
        assertThat(rules.get(0).path("rules").size()).isGreaterThanOrEqualTo(8);

        phase("targets and rules checked");
        aCoinIsTracedEndToEnd(browserTools);

        phase("traced");
        // The first three alert rules fire on the running stack, within their for:, and resolve. A record that is
        // not a block goes to miner.blocks.dlq: DeadLetters (no for:) at the next evaluation. It is sent before the
        // scale, so that the rule's evaluation and the new hasher's first scrape are waited for together.
        Result poison = minerWithInput("not a block\n", "kafka", "console-producer", "--topic", "miner.blocks");
        assertThat(poison.status()).as(poison.output()).isZero();
        Result scale = miner("scale", "hasher=3");
        assertThat(scale.status()).as(scale.output()).isZero();
        await("hasher-3 scraped after the scale").atMost(SCRAPES).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(activeTargets(authorization)).containsEntry("hasher/hasher-3", "up"));
        await("three hasher series").atMost(SCRAPES).pollInterval(Duration.ofSeconds(1))
                .until(() -> query(authorization, "up{service=\"hasher\"} == 1").size() == 3);

        phase("scaled to 3");
        await("DeadLetters firing for miner.blocks.dlq").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(2)).until(() -> alerts(authorization, "firing")
                        .contains("DeadLetters/miner.blocks.dlq"));
        assertThat(alerts(authorization, null)).as("quiet while the hashers keep up")
                .doesNotContain("HasherLagGrowing", "NoHashesCommitted");

        phase("dead letters firing");
        // Every hasher gone while rng goes on at 4 blocks/s: the lag grows and nothing is committed.
        assertThat(miner("scale", "hasher=0").status()).isZero();
        long gone = System.nanoTime();
        await("HasherLagGrowing and NoHashesCommitted firing").atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofSeconds(2)).until(() -> alerts(authorization, "firing")
                        .containsAll(List.of("HasherLagGrowing", "NoHashesCommitted")));
        System.out.printf("OBSERVE: lag and no-hash alerts firing %d s after the hashers went%n",
                Duration.ofNanos(System.nanoTime() - gone).toSeconds());

        phase("lag alerts firing");
        // The dashboard says so too: its API reads Prometheus's alerts, and the page shows them and links there.
        int webui = Ports.from(base, null, null, null).webui();
        await("the webui's /api/alerts has both firing").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(webuiAlerts(webui))
                        .contains("HasherLagGrowing/firing", "NoHashesCommitted/firing"));
        lookAtTheAlerts(browserTools, webui, authorization);

        phase("alerts seen in the browser");
        // Hashers back: the lag drains and hashes are committed again, so both resolve.
        assertThat(miner("scale", "hasher=2").status()).isZero();
        long back = System.nanoTime();
        await("HasherLagGrowing and NoHashesCommitted resolved").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(2)).until(() -> {
                    Set<String> active = alerts(authorization, null);
                    return !active.contains("HasherLagGrowing") && !active.contains("NoHashesCommitted");
                });
        System.out.printf("OBSERVE: both resolved %d s after the hashers came back%n",
                Duration.ofNanos(System.nanoTime() - back).toSeconds());

        phase("alerts resolved");
        // Every Grafana panel's query, evaluated here on the live stack, succeeds and returns series: a panel
        // that errors or stays empty would be a broken panel on the cluster.
        List<GrafanaDashboards.Query> panels = GrafanaDashboards.queries(HOME);
        assertThat(panels).hasSizeGreaterThanOrEqualTo(20);
        await("every panel's query returns series").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(5))
                .untilAsserted(() -> {
                    List<String> empty = new ArrayList<>();
                    for (GrafanaDashboards.Query panel : panels) {
                        if (query(authorization, panel.expr()).isEmpty()) {
                            empty.add(panel.dashboard() + " / " + panel.panel() + ": " + panel.expr());
                        }
                    }
                    assertThat(empty).as("panels whose query returns nothing").isEmpty();
                });
        // The per-member lag panel legends by the hasher label, which the hashers' own meters carry.
        assertThat(query(authorization, "max by (hasher) (kafka_consumer_fetch_manager_records_lag_max"
                + "{service=\"hasher\"})")).allSatisfy(series -> assertThat(series.path("metric").path("hasher")
                .asString()).matches("h\\d+-t0"));

        phase("panels have data");
        Result status = miner("status");
        assertThat(status.output()).contains("prometheus http://127.0.0.1:" + (base + 91) + "/");

        assertThat(miner("down").status()).isZero();
        assertThat(up.waitFor(90, TimeUnit.SECONDS)).as("the up process ends after down").isTrue();
        assertThat(Leftovers.find(new StackLayout(HOME, data))).as("nothing left, Prometheus included").isEmpty();
        assertThat(Ports.isFree(base + 91)).as("Prometheus's port is free").isTrue();
    }

    /** Where the time goes: each step's end, in seconds since the test began. */
    private void phase(String step) {
        System.out.printf("OBSERVE: %s at %d s%n", step, Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    /** The alerts in a state (or pending and firing, for null): the name, and "/topic" where it has one. */
    private Set<String> alerts(String authorization, String state) throws Exception {
        Set<String> names = new java.util.TreeSet<>();
        get(authorization, "/api/v1/alerts").path("data").path("alerts").forEach(alert -> {
            if (state == null || state.equals(alert.path("state").asString())) {
                JsonNode labels = alert.path("labels");
                names.add(labels.path("alertname").asString()
                        + (labels.has("topic") ? "/" + labels.path("topic").asString() : ""));
            }
        });
        return names;
    }

    /** name/state of each alert the webui's API lists. */
    private List<String> webuiAlerts(int webui) throws Exception {
        HttpResponse<String> response = http.send(request(webui, "/api/alerts", null),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.path("prometheus").asString()).isEqualTo("http://127.0.0.1:" + (base + 91));
        List<String> alerts = new ArrayList<>();
        answer.path("alerts").forEach(alert -> alerts.add(alert.path("name").asString() + "/"
                + alert.path("state").asString()));
        return alerts;
    }

    /**
     * The dashboard in Chromium shows the firing alert and links to Prometheus, whose alerts page shows it too;
     * both are left as screenshots in target/ (the README's come from here).
     */
    private void lookAtTheAlerts(HeadlessChromium.Tools tools, int webui, String authorization) throws Exception {
        HeadlessChromium.look(tools, "observe-failure.png", browser -> {
            browser.get("http://127.0.0.1:" + webui + "/");
            await("the dashboard lists HasherLagGrowing as firing").atMost(Duration.ofSeconds(30))
                    .ignoreExceptionsMatching(HeadlessChromium::rerendering).untilAsserted(() -> {
                        WebElement alert = browser.findElement(By.cssSelector(
                                "#alert-list li[data-alert='HasherLagGrowing'][data-state='firing']"));
                        assertThat(alert.getText()).contains("firing", "HasherLagGrowing",
                                "The hasher group falls behind on miner.blocks");
                        assertThat(browser.findElement(By.id("alerts-summary")).getText()).contains("firing");
                        assertThat(browser.findElement(By.id("connection")).getText()).isEqualTo("live");
                    });
            assertThat(browser.findElement(By.id("prometheus-link")).getDomProperty("href"))
                    .isEqualTo("http://127.0.0.1:" + (base + 91) + "/");
            HeadlessChromium.screenshot(browser, "dashboard-alerts.png");

            // Prometheus wants its login: the browser sends it with every request, as a person's would once asked.
            browser.executeCdpCommand("Network.enable", Map.of());
            browser.executeCdpCommand("Network.setExtraHTTPHeaders",
                    Map.of("headers", Map.of("Authorization", authorization)));
            // Debian's build serves the classic UI only: its alerts page is /classic/alerts (upstream's, /alerts).
            browser.get("http://127.0.0.1:" + (base + 91) + "/classic/alerts");
            await("Prometheus's alerts page shows HasherLagGrowing firing").atMost(Duration.ofSeconds(30))
                    // "(1 active)" is shown for a pending alert too: the filter's count says how many fire, and
                    // with both firing (DeadLetters may still be) it is 2 or more.
                    .untilAsserted(() -> assertThat(browser.findElement(By.tagName("body")).getText())
                            .contains("HasherLagGrowing (1 active)", "NoHashesCommitted (1 active)")
                            .containsPattern("Firing \\(([2-9]|[1-9][0-9]+)\\)"));
            HeadlessChromium.screenshot(browser, "prometheus-alerts.png");
        });
    }

    /**
     * Zipkin lets nobody in without the stack's login; with it, a traced coin of the dashboard links to its block's
     * trace, which has a span of every service, each under the one before: rng's send, the hasher's transaction,
     * the aggregator, the sink's writes, the dashboard's push. The trace in Zipkin's UI is left as a screenshot.
     */
    private void aCoinIsTracedEndToEnd(HeadlessChromium.Tools tools) throws Exception {
        int zipkin = base + 95;
        String login = "Basic " + java.util.Base64.getEncoder().encodeToString(("miner:"
                + Secrets.read(data.resolve("secrets/passwords.properties")).password(Zipkin.SECRET))
                .getBytes(StandardCharsets.UTF_8));
        assertThat(statusOf(zipkin, "/api/v2/services", null)).isEqualTo(401);
        assertThat(statusOf(zipkin, "/zipkin/", "Basic " + java.util.Base64.getEncoder().encodeToString(
                "miner:wrong".getBytes(StandardCharsets.UTF_8)))).isEqualTo(401);
        String prefix = "http://127.0.0.1:" + zipkin + "/zipkin/traces/";
        String[] traced = new String[1];
        await("a coin traced through every service").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(3))
                .untilAsserted(() -> {
                    List<String> links = new ArrayList<>();
                    JSON.readTree(body(base + 80, "/api/coins?size=50", null)).path("items").forEach(coin -> {
                        if (coin.has("traceUrl")) {
                            assertThat(coin.path("traceUrl").asString())
                                    .isEqualTo(prefix + coin.path("traceId").asString());
                            links.add(coin.path("traceId").asString());
                        }
                    });
                    assertThat(links).as("traced coins").isNotEmpty();
                    List<String> complete = new ArrayList<>();
                    for (String traceId : links) {
                        if (spanChain(body(zipkin, "/api/v2/trace/" + traceId, login)).containsAll(List.of(
                                "rng:publish block<-", "hasher:hash block<-publish block",
                                "aggregator:aggregate report<-hash block", "pg-sink:write coins<-hash block",
                                "pg-sink:write hash_rates<-aggregate report", "webui:push coin<-write coins"))) {
                            complete.add(traceId);
                        }
                    }
                    assertThat(complete).as("traces with every span, of %s", links).isNotEmpty();
                    traced[0] = complete.getFirst();
                });
        // Traces are blocks' only: the scrapes and probes of the Actuator make none.
        for (String service : List.of("rng", "hasher", "aggregator", "pg-sink", "webui")) {
            assertThat(body(zipkin, "/api/v2/spans?serviceName=" + service, login)).as(service)
                    .doesNotContain("actuator");
        }
        HeadlessChromium.look(tools, "trace-failure.png", browser -> {
            browser.get("http://127.0.0.1:" + (base + 80) + "/");
            await("the dashboard links a coin to its trace").atMost(Duration.ofSeconds(30))
                    .ignoreExceptionsMatching(HeadlessChromium::rerendering).untilAsserted(() -> assertThat(
                            browser.findElement(By.cssSelector("#coin-list a.trace")).getDomProperty("href"))
                            .startsWith(prefix));
            browser.executeCdpCommand("Network.enable", Map.of());
            browser.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization", login)));
            browser.get(prefix + traced[0]);
            await("Zipkin shows the trace").atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(browser.findElement(By.tagName("body")).getText().toLowerCase())
                            .contains("rng", "hasher", "aggregator", "pg-sink", "webui", "push coin"));
            HeadlessChromium.screenshot(browser, "zipkin-trace.png");
        });
    }

    /** Each span of a Zipkin trace as "service:name<-parent's name". */
    private static List<String> spanChain(String trace) {
        JsonNode spans = JSON.readTree(trace);
        Map<String, String> names = new TreeMap<>();
        spans.forEach(span -> names.put(span.path("id").asString(), span.path("name").asString()));
        List<String> chain = new ArrayList<>();
        spans.forEach(span -> chain.add(span.path("localEndpoint").path("serviceName").asString() + ":"
                + span.path("name").asString() + "<-" + names.getOrDefault(span.path("parentId").asString(""), "")));
        return chain;
    }

    private String body(int port, String path, String authorization) throws Exception {
        HttpResponse<String> response = http.send(request(port, path, authorization),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    /** service/instance of each active target, and its health. */
    private Map<String, String> activeTargets(String authorization) throws Exception {
        Map<String, String> targets = new TreeMap<>();
        get(authorization, "/api/v1/targets?state=active").path("data").path("activeTargets").forEach(target ->
                targets.put(target.path("labels").path("service").asString() + "/"
                        + target.path("labels").path("instance").asString(), target.path("health").asString()));
        return targets;
    }

    private JsonNode query(String authorization, String promql) throws Exception {
        JsonNode answer = get(authorization, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertThat(answer.path("status").asString()).as(answer.toString()).isEqualTo("success");
        return answer.path("data").path("result");
    }

    private JsonNode get(String authorization, String path) throws Exception {
        HttpResponse<String> response = http.send(request(base + 91, path, authorization),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private int status(String path, String authorization) throws Exception {
        return statusOf(base + 91, path, authorization);
    }

    private int statusOf(int port, String path, String authorization) throws Exception {
        return http.send(request(port, path, authorization), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static HttpRequest request(int port, String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.build();
    }

    private record Result(int status, String output) {
    }

    private Result miner(String... args) throws Exception {
        return minerWithInput(null, args);
    }

    private Result minerWithInput(String input, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(HOME.resolve("miner").toString(), "--data-dir", data.toString()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile(work, "miner", ".out");
        Process process = new ProcessBuilder(command).directory(HOME.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        if (input != null) {
            try (var stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
        } else {
            process.getOutputStream().close();
        }
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("./miner " + String.join(" ", args) + " did not finish");
        }
        return new Result(process.exitValue(), Files.readString(output));
    }

    /** As MinerIT's, from the other end of the range, so that the two can run side by side. */
    private static int freePortBase() {
        return IntStream.iterate(29000, b -> b >= 20000, b -> b - 1000)
                .filter(b -> b != 26000 && b != 27000) // ./miner chaos and bench default to these
                .filter(b -> Ports.from(b, null, null, null).uses(8, true).stream()
                        .allMatch(u -> Ports.isFree(u.port())))
                .findFirst().orElseThrow(() -> new AssertionError("no free port range between 20000 and 30000"));
    }
}
