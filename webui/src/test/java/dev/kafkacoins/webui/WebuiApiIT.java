package dev.kafkacoins.webui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkacoins.testsupport.RealPostgres;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Every /api endpoint of the real application, against a real PostgreSQL with the real schema. */
@Timeout(120)
class WebuiApiIT {

    @RegisterExtension
    static final RealPostgres POSTGRES = new RealPostgres();

    /** SHA-256("kafkacoins"); coins at difficulty 16 for nonces 63416, 117321 and 125506 (checked with hashlib). */
    private static final String SEED = "c34fa3887dcce47fcb7812e6bdeedb8455e6e663e94dc2f093dc75096ce88c8f";
    private static final String COIN_1 = "000019fc0604a74da65829ca0f54a8ecb75dc61a45511e938f17f864cc5b0ff2";
    private static final String COIN_2 = "0000c4ae5829d3030b5c172297a0420f66dfc3483b65ae9faa4cfec71e3f0083";
    private static final String COIN_3 = "00009f6dc3a4ace03a48fb4e6ecfe5000910f1cb0cfea0d7e55c0ac24e8e8935";
    /** A row whose hash is not what its seed and nonce give: the API must say it does not verify. */
    private static final String FORGED = "0000000000000000000000000000000000000000000000000000000000000000";

    /** The sink's write of COIN_3, as it stores it when the coin's block was traced. */
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

    private static ConfigurableApplicationContext webui;
    private static WebTestClient client;

    @BeforeAll
    static void startWebui() throws SQLException {
        WebuiRun.migrate(POSTGRES);
        sql("""
                INSERT INTO hasher_totals (hasher, hashes, coins, blocks, last_hashed_at, last_created_at)
                VALUES ('h1-t0', 1000, 3, 3, now(), now()), ('h2-t0', 500, 1, 1, now(), now());
                INSERT INTO hash_rates (window_start, hasher, window_end, hashes, coins, blocks, last_created_at)
                VALUES ('2026-01-01T10:00:00Z', 'h1-t0', '2026-01-01T10:00:01Z', 11, 0, 1, now()),
                       ('2026-01-01T10:00:00Z', 'h2-t0', '2026-01-01T10:00:01Z', 22, 0, 1, now()),
                       ('2026-01-01T10:00:01Z', 'h1-t0', '2026-01-01T10:00:02Z', 33, 0, 1, now()),
                       ('2026-01-01T09:00:00Z', 'h1-t0', '2026-01-01T09:00:01Z', 99, 0, 1, now());
                INSERT INTO coins (hash, seed, nonce, difficulty, block, hasher, found_at, trace_parent) VALUES
                  ('%s', '%s', 63416, 16, 'rng-a-1', 'h1-t0', '2026-01-01T10:00:01Z', NULL),
                  ('%s', '%s', 117321, 16, 'rng-a-2', 'h1-t0', '2026-01-01T10:00:02Z', NULL),
                  ('%s', '%s', 125506, 16, 'rng-a-3', 'h2-t0', '2026-01-01T10:00:03Z', '%s'),
                  ('%s', '%s', 1, 16, 'rng-a-4', 'h2-t0', '2026-01-01T09:00:00Z', NULL);
                """.formatted(COIN_1, SEED, COIN_2, SEED, COIN_3, SEED, TRACEPARENT, FORGED, SEED));
        webui = WebuiRun.start(POSTGRES, "--webui.zipkin-url=http://127.0.0.1:9411/");
        client = WebTestClient.bindToServer().baseUrl(WebuiRun.baseUrl(webui)).build();
    }

    @AfterAll
    static void stopWebui() {
        webui.close();
    }

    @Test
    void summaryGivesLifetimeTotalsAndTheRateOfTheLastCompleteSeconds() throws SQLException {
        // Two and three seconds ago: inside the five complete seconds the rate averages, whatever the test's pace
        sql("""
                INSERT INTO hash_rates (window_start, hasher, window_end, hashes, coins, blocks, last_created_at)
                SELECT date_trunc('second', now()) - s * interval '1 second', 'h1-t0',
                       date_trunc('second', now()) - (s - 1) * interval '1 second', 100, 0, 1, now()
                  FROM generate_series(2, 3) s""");

        client.get().uri("/api/summary").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.hashes").isEqualTo(1500)
                .jsonPath("$.coins").isEqualTo(4)
                .jsonPath("$.blocks").isEqualTo(4)
                .jsonPath("$.hashers").isEqualTo(2)
                .jsonPath("$.rate").isEqualTo(40.0);
    }

    @Test
    void ratesListsEachHashersSecondsInTheRange() {
        client.get().uri("/api/rates?from=2026-01-01T10:00:00Z&to=2026-01-01T10:00:02Z").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.points.length()").isEqualTo(3)
                .jsonPath("$.points[0].hasher").isEqualTo("h1-t0")
                .jsonPath("$.points[0].hashes").isEqualTo(11)
                .jsonPath("$.points[1].hashes").isEqualTo(22)
                .jsonPath("$.points[2].t").isEqualTo("2026-01-01T10:00:01Z")
                .jsonPath("$.points[2].hashes").isEqualTo(33);
    }

    @Test
    void coinsArePagedNewestFirst() {
        client.get().uri("/api/coins?size=2").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items.length()").isEqualTo(2)
                .jsonPath("$.items[0].hash").isEqualTo(COIN_3)
                .jsonPath("$.items[0].seed").isEqualTo(SEED)
                // A traced coin links to its trace in the configured Zipkin; an untraced one has no trace fields
                .jsonPath("$.items[0].traceId").isEqualTo(TRACE_ID)
                .jsonPath("$.items[0].traceUrl").isEqualTo("http://127.0.0.1:9411/zipkin/traces/" + TRACE_ID)
                .jsonPath("$.items[0].traceparent").doesNotExist()
                .jsonPath("$.items[1].hash").isEqualTo(COIN_2)
                .jsonPath("$.items[1].traceId").doesNotExist()
                .jsonPath("$.items[1].traceUrl").doesNotExist();
        client.get().uri("/api/coins?size=2&page=1").exchange()
                .expectBody()
                .jsonPath("$.items[0].hash").isEqualTo(COIN_1)
                .jsonPath("$.items[1].hash").isEqualTo(FORGED);
    }

    @Test
    void aCoinIsReVerifiedFromItsSeedAndNonce() {
        client.get().uri("/api/coins/" + COIN_1).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.verified").isEqualTo(true)
                .jsonPath("$.coin.nonce").isEqualTo(63416);
        client.get().uri("/api/coins/" + FORGED).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.verified").isEqualTo(false);
    }

    @Test
    void withoutAPrometheusTheAlertsAreA404ThatSaysHowToGetOne() {
        client.get().uri("/api/alerts").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title").isEqualTo("No Prometheus")
                .jsonPath("$.detail").isEqualTo("webui.prometheus.url is not set, so the dashboard shows no alerts "
                        + "(./miner up --observe sets it)");
    }

    @Test
    void anUnknownCoinIsA404Problem() {
        client.get().uri("/api/coins/" + "ab".repeat(32)).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.title").isEqualTo("No such coin");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            /api/coins?size=0                                              | size
            /api/coins?size=101                                            | size
            /api/coins?page=-1                                             | page
            /api/coins?page=501&size=20                                    | page
            /api/coins?page=abc                                            | page
            /api/coins/xyz                                                 | hash
            /api/coins/00009F6DC3A4ACE03A48FB4E6ECFE5000910F1CB0CFEA0D7E55C0AC24E8E8935 | hash
            /api/rates?from=2026-01-01T10:00:02Z&to=2026-01-01T10:00:00Z   | from
            /api/rates?from=2026-01-01T08:00:00Z&to=2026-01-01T10:00:00Z   | from
            /api/rates?from=yesterday                                      | from
            /api/rates?to=2026-13-01T00:00:00Z                             | to
            """)
    void badInputIsA400ProblemNamingTheParameter(String uri, String parameter) {
        client.get().uri(uri).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.parameter").isEqualTo(parameter)
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).startsWith("'" + parameter + "'"))
                .jsonPath("$.trace").doesNotExist()
                .jsonPath("$.exception").doesNotExist();
    }

    @Test
    void responsesCarryTheSecurityHeaders() {
        client.get().uri("/api/summary").exchange()
                .expectStatus().isOk()
                .expectHeader().value("Content-Security-Policy", csp -> assertThat(csp)
                        .contains("script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe-inline"))
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals("Referrer-Policy", "no-referrer");
    }

    private static void sql(String statements) throws SQLException {
        WebuiRun.sql(POSTGRES, statements);
    }
}
