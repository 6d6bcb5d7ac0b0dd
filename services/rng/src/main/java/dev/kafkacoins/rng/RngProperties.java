package dev.kafkacoins.rng;

import dev.kafkacoins.protocol.Block;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of rng ({@code rng.*}).
 *
 * @param mode             {@code auto}: produce while the hasher group's lag is below {@code maxLag};
 *                         {@code rate}: produce {@code rate} blocks per second whatever the hashers do
 * @param rate             blocks per second in rate mode
 * @param maxLag           the bound on the hasher group's total lag in auto mode, in blocks
 * @param lagCheckInterval how often auto mode reads the lag through the Admin API
 * @param nonces           nonces per block: the work in one record
 * @param difficulty       leading zero bits that make a hash a coin
 * @param instanceId       names this process in block ids; default host name and pid
 */
@Validated
@ConfigurationProperties("rng")
public record RngProperties(
        @DefaultValue("auto") Mode mode,
        @DefaultValue("10") @DecimalMin(value = "0", inclusive = false) double rate,
        @DefaultValue("300") @Min(1) long maxLag,
        @DefaultValue("200ms") Duration lagCheckInterval,
        @DefaultValue("65536") int nonces,
        @DefaultValue("24") int difficulty,
        @DefaultValue("") String instanceId) {

    public enum Mode { AUTO, RATE }

    public RngProperties {
        if (nonces < 1 || nonces > Block.MAX_NONCES) {
            throw new IllegalArgumentException("rng.nonces must be in [1, " + Block.MAX_NONCES + "], got " + nonces);
        }
        if (difficulty < Block.MIN_DIFFICULTY || difficulty > Block.MAX_DIFFICULTY) {
            throw new IllegalArgumentException("rng.difficulty must be in [" + Block.MIN_DIFFICULTY + ", "
                    + Block.MAX_DIFFICULTY + "], got " + difficulty);
        }
    }
}
