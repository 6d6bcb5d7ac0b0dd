package dev.kafkacoins.sink;

import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Deletes rate windows older than {@code sink.rate-retention}, so nobody has to run a cleanup by hand. */
@Component
class RateRetention {

    private static final Logger LOG = LoggerFactory.getLogger(RateRetention.class);

    private final PostgresWriter writer;
    private final SinkProperties settings;

    RateRetention(PostgresWriter writer, SinkProperties settings) {
        this.writer = writer;
        this.settings = settings;
    }

    @Scheduled(fixedDelayString = "${sink.retention-interval:1m}", initialDelayString = "${sink.retention-interval:1m}")
    void deleteOldRates() {
        try {
            int deleted = writer.deleteRatesBefore(Instant.now().minus(settings.rateRetention()));
            if (deleted > 0) {
                LOG.info("deleted {} rate windows older than {}", deleted, settings.rateRetention());
            }
        } catch (DataAccessException e) {
            // The database is away; the sink's own health reports it. Try again next time.
            LOG.debug("rate retention skipped: {}", e.getMessage());
        }
    }
}
