package dev.kafkacoins.webui;

import dev.kafkacoins.protocol.Coin;
import dev.kafkacoins.service.RecordTracing;
import io.micrometer.tracing.Span;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SequencedSet;
import org.springframework.stereotype.Component;

/**
 * A coin's trace as the dashboard shows it: the link to its block's trace (when the block was traced and the page
 * has a trace UI to link to), and the last span of that trace, made when the live stream first pushes the coin
 * to the viewers.
 */
@Component
class CoinTraces {

    /** More than one live event's newest coins: a coin is pushed in several events, its span made once. */
    private static final int REMEMBERED = 64;

    private final RecordTracing tracing;
    /** The trace UI's address without a trailing slash, or null. */
    private final String zipkin;
    /** Only the shared live source touches it, one update at a time (its subscriber's signals are serial). */
    private final SequencedSet<String> pushed = new LinkedHashSet<>();

    CoinTraces(RecordTracing tracing, WebuiProperties settings) {
        this.tracing = tracing;
        this.zipkin = settings.zipkinBase();
    }

    /** A coin row as the API shows it: the coin, and its trace when it has one. */
    ApiModel.WalletCoin shown(Coin coin, String traceparent) {
        if (traceparent == null) {
            return new ApiModel.WalletCoin(coin, null, null, null);
        }
        String traceId = traceparent.substring(3, 35);
        return new ApiModel.WalletCoin(coin, traceId, zipkin == null ? null : zipkin + "/zipkin/traces/" + traceId,
                traceparent);
    }

    /** Continues each traced coin's trace with a span, the first time the live stream pushes it. */
    void pushing(List<ApiModel.WalletCoin> coins, int viewers) {
        for (ApiModel.WalletCoin shown : coins) {
            if (shown.traceparent() == null || !pushed.add(shown.coin().hash())) {
                continue;
            }
            if (pushed.size() > REMEMBERED) {
                pushed.removeFirst();
            }
            Span span = tracing.continueFrom(shown.traceparent(), "push coin").tag("coin", shown.coin().hash())
                    .tag("viewers", viewers);
            span.end();
        }
    }
}
