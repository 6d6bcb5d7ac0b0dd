package dev.kafkacoins.aggregator;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the aggregator ({@code aggregator.*}); Kafka Streams' own settings are
 * {@code spring.kafka.streams.*}.
 *
 * @param windowGrace how long after a window closes a late report still updates it; later ones count only in totals
 * @param instanceId  names this instance's state directory; default host name and pid
 */
@Validated
@ConfigurationProperties("aggregator")
public record AggregatorProperties(@DefaultValue("10s") Duration windowGrace, @DefaultValue("") String instanceId) {

    public AggregatorProperties {
        if (windowGrace.isNegative()) {
            throw new IllegalArgumentException("aggregator.window-grace must not be negative, got " + windowGrace);
        }
    }
}
