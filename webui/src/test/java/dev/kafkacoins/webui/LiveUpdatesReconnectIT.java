package dev.kafkacoins.webui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkacoins.protocol.Schema;
import dev.kafkacoins.testsupport.RealPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;

/**
 * PostgreSQL is away for half a minute under a connected dashboard: readiness goes to 503 and back by itself,
 * liveness stays 200, and the live source LISTENs again soon after the return, so NOTIFYs reach the client within
 * seconds again rather than only through the 10-second fallback refresh.
 */
@Timeout(240)
class LiveUpdatesReconnectIT {

    @RegisterExtension
    static final RealPostgres POSTGRES = new RealPostgres();
    private static final ParameterizedTypeReference<ServerSentEvent<JsonNode>> EVENT =
            new ParameterizedTypeReference<>() {
            };
    /** Well under LiveUpdates.FALLBACK_REFRESH, so only a NOTIFY explains an update this quick. */
    private static final Duration NOTIFY_DELIVERY = Duration.ofSeconds(3);
    /** Long enough for the LISTEN back-off to reach its maximum. */
    private static final Duration OUTAGE = Duration.ofSeconds(45);
    /** How soon after PostgreSQL's return the live source must be listening again. */
    private static final Duration RELISTEN = Duration.ofSeconds(12);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private long hashes = 1000;

    @Test
    void afterPostgresRestartsTheLiveSourceListensAgainAndHealthRecovers() throws Exception {
        WebuiRun.migrate(POSTGRES);
        WebuiRun.sql(POSTGRES, "INSERT INTO hasher_totals (hasher, hashes, coins, blocks, last_hashed_at, "
                + "last_created_at) VALUES ('h1-t0', 1000, 0, 1, now(), now())");
        List<Long> totals = new CopyOnWriteArrayList<>();
        try (ConfigurableApplicationContext webui = WebuiRun.start(POSTGRES)) {
            String base = WebuiRun.baseUrl(webui);
            Disposable client = WebClient.create(base).get().uri("/api/stream").retrieve().bodyToFlux(EVENT)
                    .filter(e -> e.data() != null)
                    .subscribe(e -> totals.add(e.data().get("summary").get("hashes").asLong()));
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> get(base, "liveness").contains("\"listening\":true"));
                assertThat(status(base, "readiness")).isEqualTo(200);

                // When PostgreSQL is away for longer than the LISTEN back-off takes to grow, then returns
                POSTGRES.server().stop();
                long stopped = System.nanoTime();
                await().atMost(Duration.ofSeconds(30)).until(() -> status(base, "readiness") == 503);
                assertThat(status(base, "liveness")).isEqualTo(200);
                await().pollDelay(OUTAGE.minusNanos(System.nanoTime() - stopped)).atMost(OUTAGE.plusSeconds(5))
                        .until(() -> true);
                POSTGRES.server().start();
                long back = System.nanoTime();

                // Then within seconds NOTIFYs reach the client again: three in a row, each faster than the
                // fallback refresh could explain
                int inARow = 0;
                long streakStart = 0;
                while (inARow < 3) {
                    assertThat(Duration.ofNanos(System.nanoTime() - back)).as("NOTIFYs delivered again")
                            .isLessThan(RELISTEN.plusSeconds(15));
                    long sent = System.nanoTime();
                    long next = bump();
                    try {
                        await().atMost(NOTIFY_DELIVERY).until(() -> totals.contains(next));
                        streakStart = inARow == 0 ? sent : streakStart;
                        inARow++;
                    } catch (ConditionTimeoutException notYet) {
                        inARow = 0;
                    }
                }
                assertThat(Duration.ofNanos(streakStart - back)).as("LISTEN back after PostgreSQL's return")
                        .isLessThan(RELISTEN);
                System.out.printf("LISTEN AGAIN: NOTIFYs delivered from %.1f s after PostgreSQL's return%n",
                        (streakStart - back) / 1e9);
                await().atMost(Duration.ofSeconds(30)).until(() -> status(base, "readiness") == 200);
                assertThat(status(base, "liveness")).isEqualTo(200);
            } finally {
                client.dispose();
            }
        }
    }

    /** What the sink does: new totals, then NOTIFY on the channel. */
    private long bump() throws Exception {
        hashes += 1000;
        WebuiRun.sql(POSTGRES, "UPDATE hasher_totals SET hashes = " + hashes + " WHERE hasher = 'h1-t0'; NOTIFY "
                + Schema.NOTIFY_CHANNEL + ", '{\"rates\":0,\"totals\":1,\"coins\":0}'");
        return hashes;
    }

    private int status(String base, String group) throws Exception {
        return http.send(request(base, group), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private String get(String base, String group) throws Exception {
        return http.send(request(base, group), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static HttpRequest request(String base, String group) {
        return HttpRequest.newBuilder(URI.create(base + "/actuator/health/" + group)).timeout(Duration.ofSeconds(15))
                .build();
    }
}
