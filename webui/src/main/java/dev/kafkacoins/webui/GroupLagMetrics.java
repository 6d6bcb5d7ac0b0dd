package dev.kafkacoins.webui;

import dev.kafkacoins.protocol.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The hasher group's lag per partition as {@code kafkacoins.hasher.group.lag{group, topic, partition}}, for the
 * lag alert and the lag panel. Refreshed in the background from {@link GroupView}'s cached read (the one the
 * dashboard shows, so viewers and Prometheus share one Admin call), whether or not anyone has the page open.
 * While the read fails the series are withdrawn: an unknown lag is not a lag of zero.
 */
@Component
class GroupLagMetrics implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(GroupLagMetrics.class);
    /** Well inside Prometheus's 15 s scrape interval, and longer than the view's cache. */
    static final Duration REFRESH = Duration.ofSeconds(5);

    private final GroupView view;
    private final MultiGauge lag;
    private volatile Disposable refresh;

    GroupLagMetrics(GroupView view, MeterRegistry registry) {
        this.view = view;
        this.lag = MultiGauge.builder("kafkacoins.hasher.group.lag")
                .description("records of miner.blocks not yet committed by the hasher group, per partition")
                .register(registry);
    }

    @Override
    public void start() {
        refresh = Flux.interval(Duration.ZERO, REFRESH).onBackpressureDrop()
                .concatMap(tick -> view.group().map(this::rows).onErrorResume(e -> {
                    LOG.debug("hasher group lag not read: {}", e.toString());
                    return Mono.just(List.of());
                }))
                .subscribe(rows -> lag.register(rows, true));
    }

    private List<MultiGauge.Row<?>> rows(ApiModel.Group group) {
        return group.lag().stream().<MultiGauge.Row<?>>map(p -> MultiGauge.Row.of(Tags.of("group", group.group(),
                "topic", Topics.BLOCKS.name(), "partition", String.valueOf(p.partition())), p.lag())).toList();
    }

    @Override
    public void stop() {
        Disposable running = refresh;
        if (running != null) {
            running.dispose();
        }
        refresh = null;
    }

    @Override
    public boolean isRunning() {
        return refresh != null;
    }
}
