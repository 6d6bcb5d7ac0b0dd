package dev.kafkacoins.webui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class UpdateCursorTest {

    private static final Instant T = Instant.parse("2026-12-02T02:17:42Z");
    private final UpdateCursor cursor = new UpdateCursor(Duration.ofSeconds(10), Duration.ofMinutes(5));

    @Test
    void theFirstQueryReadsTheLastSecondsOfTheClock() {
        assertThat(cursor.since(T)).isEqualTo(T.minusSeconds(10));
    }

    @Test
    void queriesFailingForLongerThanTheOverlapDoNotMoveWhereTheNextOneReads() {
        cursor.sent(T);
        // PostgreSQL crashed, came back, was stopped: 25 s of failed queries. A row the sink committed at T + 1 s
        // (updated_at T + 0.7 s) must still be read by the first query that works.
        Instant firstWorkingQuery = T.plusSeconds(25);
        assertThat(cursor.since(firstWorkingQuery)).isEqualTo(T.minusSeconds(10));
    }

    @Test
    void eachUpdateSentMovesTheStartOn() {
        cursor.sent(T);
        cursor.sent(T.plusSeconds(1));
        assertThat(cursor.since(T.plusSeconds(2))).isEqualTo(T.minusSeconds(9));
    }

    @Test
    void afterAnOutageLongerThanThePageShowsItReadsNoFurtherBackThanThePage() {
        cursor.sent(T);
        Instant anHourLater = T.plus(Duration.ofHours(1));
        assertThat(cursor.since(anHourLater)).isEqualTo(anHourLater.minus(Duration.ofMinutes(5)));
    }
}
