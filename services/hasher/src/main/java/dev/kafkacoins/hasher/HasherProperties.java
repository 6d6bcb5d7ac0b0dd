package dev.kafkacoins.hasher;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of one hasher process ({@code hasher.*}).
 *
 * @param instanceId         names this process in hasher ids; default host name and pid
 * @param threads            consumer threads, each a group member with its own transactional producer
 * @param transactionBudget  a transaction is committed once it has run this long, so offsets advance steadily
 * @param transactionTimeout how long the broker waits before aborting the open transaction of a dead hasher;
 *                           its partitions are blocked for that long, so keep it short
 * @param maxPollRecords     blocks fetched per poll
 * @param pollTimeout        how long one poll waits for blocks
 */
@Validated
@ConfigurationProperties("hasher")
public record HasherProperties(
        @DefaultValue("") String instanceId,
        @DefaultValue("1") @Min(1) @Max(64) int threads,
        @DefaultValue("1s") Duration transactionBudget,
        @DefaultValue("10s") Duration transactionTimeout,
        @DefaultValue("500") @Min(1) int maxPollRecords,
        @DefaultValue("500ms") Duration pollTimeout) {

    public HasherProperties {
        if (transactionBudget.compareTo(transactionTimeout) >= 0) {
            throw new IllegalArgumentException("hasher.transaction-budget (" + transactionBudget
                    + ") must be shorter than hasher.transaction-timeout (" + transactionTimeout + ")");
        }
    }
}
