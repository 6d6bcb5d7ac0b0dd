package dev.kafkacoins.webui;

import dev.kafkacoins.protocol.HashKernel;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The public read API. Every range and page is bounded here, so no single request can make the database scan a
 * whole table; a parameter out of bounds is a 400 problem naming it.
 */
@RestController
@RequestMapping("/api")
class ApiController {

    static final Duration DEFAULT_RANGE = Duration.ofMinutes(5);
    static final Duration MAX_RANGE = Duration.ofHours(1);
    static final int MAX_PAGE_SIZE = 100;
    /** Deeper than this, paging by offset gets slow; the dashboard shows the newest coins. */
    static final int MAX_OFFSET = 10_000;
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    private final DashboardQueries queries;
    private final GroupView group;
    private final AlertsView alerts;

    ApiController(DashboardQueries queries, GroupView group, AlertsView alerts) {
        this.queries = queries;
        this.group = group;
        this.alerts = alerts;
    }

    /**
     * A query that ran into its timeout (PostgreSQL cancels it, SQLState 57014, which R2DBC reports as a resource
     * failure; or the connection went silent) or a database that is away: try again shortly.
     */
    @ExceptionHandler({QueryTimeoutException.class, TimeoutException.class, DataAccessResourceFailureException.class})
    ErrorResponseException databaseUnavailable(Exception e) {
        return ApiErrors.problem(HttpStatus.SERVICE_UNAVAILABLE, "Database unavailable",
                "the database is unreachable or did not answer within the query timeout; try again shortly");
    }

    @GetMapping("/group")
    Mono<ApiModel.Group> group() {
        return group.group().onErrorMap(e -> !(e instanceof ErrorResponseException), e -> ApiErrors.problem(
                HttpStatus.SERVICE_UNAVAILABLE, "Kafka unreachable",
                "the consumer group cannot be read from Kafka right now"));
    }

    /** 404 when no Prometheus is configured, 503 when it cannot be read; the detail says which and why. */
    @GetMapping("/alerts")
    Mono<ApiModel.Alerts> alerts() {
        return alerts.alerts();
    }

    @GetMapping("/summary")
    Mono<ApiModel.Summary> summary() {
        return queries.summary();
    }

    @GetMapping("/rates")
    Mono<ApiModel.Rates> rates(@RequestParam(name = "from", required = false) Instant from,
                               @RequestParam(name = "to", required = false) Instant to) {
        Instant end = to != null ? to : Instant.now();
        Instant start = from != null ? from : end.minus(DEFAULT_RANGE);
        if (!start.isBefore(end)) {
            return Mono.error(ApiErrors.badParameter("from", "must be before 'to' (" + end + ")"));
        }
        if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            return Mono.error(ApiErrors.badParameter("from",
                    "the range from 'from' to 'to' may be at most " + MAX_RANGE.toMinutes() + " minutes"));
        }
        return queries.rates(start, end).collectList().map(points -> new ApiModel.Rates(start, end, points));
    }

    @GetMapping("/coins")
    Mono<ApiModel.CoinPage> coins(@RequestParam(name = "page", defaultValue = "0") int page,
                                  @RequestParam(name = "size", defaultValue = "20") int size) {
        if (size < 1 || size > MAX_PAGE_SIZE) {
            return Mono.error(ApiErrors.badParameter("size", "must be between 1 and " + MAX_PAGE_SIZE));
        }
        if (page < 0 || (long) page * size > MAX_OFFSET) {
            return Mono.error(ApiErrors.badParameter("page",
                    "must be between 0 and " + MAX_OFFSET / size + " for size " + size));
        }
        return queries.coins(page, size).collectList().map(items -> new ApiModel.CoinPage(page, size, items));
    }

    @GetMapping("/coins/{hash}")
    Mono<ApiModel.VerifiedCoin> coin(@PathVariable("hash") String hash) {
        if (!HASH.matcher(hash).matches()) {
            return Mono.error(ApiErrors.badParameter("hash", "must be 64 lowercase hex characters"));
        }
        return queries.coin(hash)
                .map(coin -> new ApiModel.VerifiedCoin(coin, HashKernel.verify(coin)))
                .switchIfEmpty(Mono.error(ApiErrors.problem(HttpStatus.NOT_FOUND, "No such coin",
                        "no coin with hash " + hash + " is in the wallet")));
    }
}
