package dev.kafkacoins.webui;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

/**
 * The alerts of the stack's Prometheus ({@code webui.prometheus.*}) as the page shows them: what is pending or
 * firing, read from Prometheus's own {@code /api/v1/alerts}, so the page says exactly what Prometheus's alerts page
 * says. A good read is cached for a few seconds, so that many viewers mean one read (Prometheus evaluates the rules
 * every 15 s); a failed one is not, so the next poll asks again.
 */
@Component
class AlertsView {

    static final Duration CACHE = Duration.ofSeconds(5);
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** A bounded answer, as every other of the API; a stack with more alerts than this has bigger problems. */
    static final int MAX_ALERTS = 50;
    static final int MAX_ANSWER_BYTES = 8 * 1024 * 1024;

    private final WebuiProperties.Prometheus prometheus;
    private final Mono<ApiModel.Alerts> cached;

    AlertsView(WebuiProperties settings) {
        this.prometheus = settings.prometheus();
        this.cached = prometheus.configured()
                ? read(client(prometheus)).cache(alerts -> CACHE, error -> Duration.ZERO, () -> Duration.ZERO)
                : Mono.error(() -> ApiErrors.problem(HttpStatus.NOT_FOUND, "No Prometheus",
                        "webui.prometheus.url is not set, so the dashboard shows no alerts (./miner up --observe "
                                + "sets it)"));
    }

    /** The alerts, or a problem: 404 without a Prometheus, 503 when it cannot be read. */
    Mono<ApiModel.Alerts> alerts() {
        return cached;
    }

    private static WebClient client(WebuiProperties.Prometheus prometheus) {
        // Prometheus answers with every active alert, however many the answer here keeps: more than the 256 KiB
        // a WebClient buffers by default when something fires per partition and topic.
        WebClient.Builder builder = WebClient.builder().baseUrl(prometheus.base())
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(MAX_ANSWER_BYTES));
        if (prometheus.username() != null) {
            String login = prometheus.username() + ":" + prometheus.password();
            builder.defaultHeader(HttpHeaders.AUTHORIZATION,
                    "Basic " + Base64.getEncoder().encodeToString(login.getBytes(StandardCharsets.UTF_8)));
        }
        return builder.build();
    }

    private Mono<ApiModel.Alerts> read(WebClient client) {
        return client.get().uri("/api/v1/alerts").accept(MediaType.APPLICATION_JSON).retrieve()
                .bodyToMono(AlertsAnswer.class)
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("Prometheus answered with no body")))
                .timeout(TIMEOUT)
                .map(answer -> new ApiModel.Alerts(prometheus.base(), alerts(answer), Instant.now()))
                .onErrorMap(e -> !(e instanceof ErrorResponseException), this::unavailable);
    }

    static List<ApiModel.Alert> alerts(AlertsAnswer answer) {
        if (!"success".equals(answer.status()) || answer.data() == null || answer.data().alerts() == null) {
            throw new IllegalStateException("Prometheus answered status " + answer.status());
        }
        return answer.data().alerts().stream().map(AlertsView::alert)
                .sorted(Comparator.comparing((ApiModel.Alert a) -> !"firing".equals(a.state()))
                        .thenComparing(ApiModel.Alert::since, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(ApiModel.Alert::name))
                .limit(MAX_ALERTS).toList();
    }

    private static ApiModel.Alert alert(AlertsAnswer.Active raw) {
        Map<String, String> labels = Objects.requireNonNullElse(raw.labels(), Map.of());
        Map<String, String> annotations = Objects.requireNonNullElse(raw.annotations(), Map.of());
        return new ApiModel.Alert(labels.getOrDefault("alertname", "(unnamed)"), raw.state(),
                labels.getOrDefault("severity", "none"), raw.activeAt(),
                annotations.getOrDefault("summary", annotations.getOrDefault("description", "")));
    }

    private ErrorResponseException unavailable(Throwable e) {
        String why = e instanceof WebClientResponseException response
                ? response.getStatusCode().value() == 401
                        ? "refused the webui's login (webui.prometheus.username and webui.prometheus.password)"
                        : "answered HTTP " + response.getStatusCode().value()
                : e instanceof TimeoutException
                        ? "did not answer within " + TIMEOUT.toSeconds() + " s"
                        : "cannot be read (" + e.getClass().getSimpleName() + ")";
        return ApiErrors.problem(HttpStatus.SERVICE_UNAVAILABLE, "Prometheus unavailable",
                "Prometheus at " + prometheus.base() + " " + why);
    }

    /** Prometheus's answer to {@code GET /api/v1/alerts}: only the fields the page shows. */
    record AlertsAnswer(String status, Data data) {

        record Data(List<Active> alerts) {
        }

        record Active(Map<String, String> labels, Map<String, String> annotations, String state, Instant activeAt) {
        }
    }
}
