package dev.kafkacoins.local.chaos;

import static dev.kafkacoins.local.chaos.InsideTransaction.opensInside;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkacoins.local.chaos.InsideTransaction.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Which committed offsets mean that the hasher's next transaction opens inside the series, with the right block. */
@Timeout(10)
class InsideTransactionTest {

    @Test
    void aSeriesOfFullSizeBlocksIsEnteredOnceATransactionInsideItHasCommitted() {
        // Six full-size blocks at offsets 100..105.
        assertThat(opensInside(100, 100, 105, Shape.NOTHING_SENT)).as("nothing of the series committed yet").isFalse();
        assertThat(opensInside(99, 100, 105, Shape.NOTHING_SENT)).isFalse();
        assertThat(opensInside(101, 100, 105, Shape.NOTHING_SENT)).isTrue();
        assertThat(opensInside(105, 100, 105, Shape.NOTHING_SENT)).as("the last block is still to hash").isTrue();
        assertThat(opensInside(106, 100, 105, Shape.NOTHING_SENT)).as("the series is done").isFalse();
    }

    @Test
    void aSeriesWithSmallBlocksIsEnteredOnlyWhereATransactionOpensWithASmallOne() {
        // Small blocks at even offsets 100, 102, ..., 110; full-size ones at 101, ..., 111.
        assertThat(opensInside(100, 100, 111, Shape.REPORT_SENT)).isFalse();
        assertThat(opensInside(101, 100, 111, Shape.REPORT_SENT)).as("opens with a full-size block").isFalse();
        assertThat(opensInside(102, 100, 111, Shape.REPORT_SENT)).isTrue();
        assertThat(opensInside(110, 100, 111, Shape.REPORT_SENT)).isTrue();
        assertThat(opensInside(111, 100, 111, Shape.REPORT_SENT)).isFalse();
        assertThat(opensInside(112, 100, 111, Shape.REPORT_SENT)).isFalse();
    }
}
