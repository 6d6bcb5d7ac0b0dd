package dev.kafkacoins.webui;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/stream}: Server-Sent Events, at most one {@code update} per second, a comment heartbeat every
 * {@code webui.heartbeat} (15 s) so proxies keep idle streams open. Each event's id is its time (epoch ms). A
 * reconnecting client sends {@code Last-Event-ID} (browsers' EventSource do so by themselves) and first gets every
 * point since then, at most {@link ApiController#DEFAULT_RANGE} back, so its chart has no gap.
 *
 * <p>A slow client holds at most its newest update. Reactor Netty queues up to 32 frames of a response, and hands
 * each to Netty's outbound buffer, which is unbounded (it only reports itself unwritable above 64 KiB). Returning
 * a {@code Flux<ServerSentEvent>} filled both with encoded, ever older updates: a client that stopped reading for
 * a minute got a minute of backlog first. Here each queued frame is a placeholder that waits until the connection
 * is writable again and only then takes the newest update, so a client that resumes reading gets the present.
 * The connection's kernel send buffer is fixed small for the same reason (autotuning grows it to megabytes).
 * The events are framed by hand for that reason (the format is four lines); Spring's SSE writer encodes each
 * event when it is emitted.
 */
@RestController
@RequestMapping("/api")
class StreamController {

    private static final Duration WRITABLE_POLL = Duration.ofMillis(50);
    private static final int SEND_BUFFER_BYTES = 32 * 1024;

    private final LiveUpdates live;
    private final DashboardQueries queries;
    private final JsonMapper json;
    private final Duration heartbeat;

    StreamController(LiveUpdates live, DashboardQueries queries, JsonMapper json,
                     WebuiProperties settings) {
        this.live = live;
        this.queries = queries;
        this.json = json;
        this.heartbeat = settings.heartbeat();
    }

    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Mono<Void> stream(@RequestHeader(name = "Last-Event-ID", required = false) Long lastEventId,
                      @RequestParam(name = "lastEventId", required = false) Long lastEventIdParam,
                      ServerHttpResponse response) {
        Long resumeFrom = lastEventId != null ? lastEventId : lastEventIdParam;
        response.getHeaders().setContentType(MediaType.TEXT_EVENT_STREAM);
        response.getHeaders().setCacheControl("no-cache");
        // The catch-up is written as it is: a newer live update covers only the last seconds, not the gap.
        Flux<Publisher<DataBuffer>> catchUp = resumeFrom == null ? Flux.empty()
                : queries.update(resumePoint(resumeFrom), LiveUpdates.NEWEST_COINS)
                        .map(update -> (Publisher<DataBuffer>) Mono.just(frame(response, update))).flux();
        AtomicReference<ApiModel.Update> newest = new AtomicReference<>();
        Mono<Boolean> writable = writable(response);
        Flux<Publisher<DataBuffer>> updates = live.live().map(update -> {
            newest.set(update);
            // Resolved when it can be written: the newest update then, or nothing if a frame before carried it.
            return writable.then(Mono.fromSupplier(() -> newest.getAndSet(null))).map(u -> frame(response, u));
        });
        Flux<Publisher<DataBuffer>> heartbeats = Flux.interval(heartbeat).onBackpressureDrop()
                .map(i -> Mono.fromSupplier(() -> text(response, ":heartbeat\n\n")));
        return response.writeAndFlushWith(Flux.merge(catchUp.concatWith(updates), heartbeats));
    }

    /**
     * Completes once the connection's outbound buffer is below Netty's high-water mark (or the connection is gone).
     * Polled, because a slow client is the rare case and the check is a field read.
     */
    private static Mono<Boolean> writable(ServerHttpResponse response) {
        if (!(ServerHttpResponseDecorator.getNativeResponse(response) instanceof Connection connection)) {
            return Mono.just(true);
        }
        Channel channel = connection.channel();
        // The kernel's send buffer would otherwise grow (autotuning) to megabytes of old updates for a client
        // that stopped reading; a stream of a few KiB per second needs little.
        channel.config().setOption(ChannelOption.SO_SNDBUF, SEND_BUFFER_BYTES);
        return Mono.defer(() -> channel.isWritable() || !channel.isActive() ? Mono.just(true)
                : Flux.interval(WRITABLE_POLL).filter(i -> channel.isWritable() || !channel.isActive()).next()
                        .map(i -> true));
    }

    private DataBuffer frame(ServerHttpResponse response, ApiModel.Update update) {
        return text(response, "id:" + update.at().toEpochMilli() + "\nevent:update\ndata:" + json.writeValueAsString(update)
                + "\n\n");
    }

    private static DataBuffer text(ServerHttpResponse response, String text) {
        return response.bufferFactory().wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Instant resumePoint(long lastEventId) {
        Instant oldest = Instant.now().minus(ApiController.DEFAULT_RANGE);
        Instant requested = Instant.ofEpochMilli(lastEventId);
        return requested.isBefore(oldest) ? oldest : requested;
    }
}
