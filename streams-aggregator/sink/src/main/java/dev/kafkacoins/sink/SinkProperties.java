package dev.kafkacoins.sink;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the PostgreSQL sink ({@code sink.*}); the database is {@code spring.datasource.*}.
 *
 * @param maxPollRecords      records per batch at most (one database transaction per batch)
 * @param pollTimeout         how long one poll waits for records
 * @param retryInitialBackoff first wait after a failed write; doubles up to {@code retryMaxBackoff}
 * @param retryMaxBackoff     the longest wait between retries while PostgreSQL is away
 * @param rateRetention       rate windows older than this are deleted; totals and coins are kept
 * @param retentionInterval   how often old rate windows are deleted
 * @param instanceId          names this instance (its consumer's client id); empty means host name and pid
 */
@Validated
@ConfigurationProperties("sink")
public record SinkProperties(
        @DefaultValue("500") @Min(1) int maxPollRecords,
        @DefaultValue("500ms") Duration pollTimeout,
        @DefaultValue("500ms") Duration retryInitialBackoff,
        @DefaultValue("10s") Duration retryMaxBackoff,
        @DefaultValue("24h") Duration rateRetention,
        @DefaultValue("1m") Duration retentionInterval,
        @DefaultValue("") String instanceId) {
}
