package dev.kafkacoins.webui;

import java.time.Duration;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/stream}: Server-Sent Events, at most one {@code update} per second, a comment heartbeat every
 * {@code webui.heartbeat} (15 s) so proxies keep idle streams open. Each event's id is its time (epoch ms). A reconnecting client sends
 * {@code Last-Event-ID} (browsers' EventSource do so by themselves) and first gets every point since then, at
 * most {@link ApiController#DEFAULT_RANGE} back, so its chart has no gap.
 */
@RestController
@RequestMapping("/api")
class StreamController {

    private final LiveUpdates live;
    private final DashboardQueries queries;
    private final Duration heartbeat;

    StreamController(LiveUpdates live, DashboardQueries queries,
                     @Value("${webui.heartbeat:15s}") Duration heartbeat) {
        this.live = live;
        this.queries = queries;
        this.heartbeat = heartbeat;
    }

    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<ApiModel.Update>> stream(
            @RequestHeader(name = "Last-Event-ID", required = false) Long lastEventId,
            @RequestParam(name = "lastEventId", required = false) Long lastEventIdParam) {
        Long resumeFrom = lastEventId != null ? lastEventId : lastEventIdParam;
        Mono<ApiModel.Update> catchUp = resumeFrom == null ? Mono.empty() : queries.update(resumePoint(resumeFrom),
                LiveUpdates.NEWEST_COINS);
        Flux<ServerSentEvent<ApiModel.Update>> updates = catchUp.concatWith(live.live()).map(StreamController::event);
        Flux<ServerSentEvent<ApiModel.Update>> heartbeats = Flux.interval(heartbeat)
                .map(i -> ServerSentEvent.<ApiModel.Update>builder().comment("heartbeat").build());
        return Flux.merge(updates, heartbeats);
    }

    private static Instant resumePoint(long lastEventId) {
        Instant oldest = Instant.now().minus(ApiController.DEFAULT_RANGE);
        Instant requested = Instant.ofEpochMilli(lastEventId);
        return requested.isBefore(oldest) ? oldest : requested;
    }

    private static ServerSentEvent<ApiModel.Update> event(ApiModel.Update update) {
        return ServerSentEvent.builder(update).id(Long.toString(update.at().toEpochMilli())).event("update").build();
    }
}
