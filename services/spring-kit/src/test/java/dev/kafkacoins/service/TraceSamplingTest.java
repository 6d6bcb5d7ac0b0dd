package dev.kafkacoins.service;

import static org.assertj.core.api.Assertions.assertThat;

import brave.sampler.Sampler;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

@Timeout(30)
class TraceSamplingTest {

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TraceSampling.class, BraveAutoConfiguration.class));

    @Test
    void aRateOfTracesReplacesBootsProbabilityAndBoundsTheTracesEachSecond() {
        contexts.withPropertyValues("kafkacoins.tracing.traces-per-second=10").run(context -> {
            // 1,000 blocks in well under a second: ten traced, not a tenth of them
            assertThat(sampledOfAThousand(context.getBean(Sampler.class))).isBetween(1, 10);
        });
    }

    @Test
    void withoutItBootsProbabilityDecides() {
        contexts.withPropertyValues("management.tracing.sampling.probability=1.0").run(context -> {
            assertThat(sampledOfAThousand(context.getBean(Sampler.class))).isEqualTo(1000);
        });
    }

    @Test
    void aRateOutOfRangeStopsTheServiceNamingTheKey() {
        contexts.withPropertyValues("kafkacoins.tracing.traces-per-second=-1").run(context ->
                assertThat(context.getStartupFailure()).rootCause().hasMessage(
                        "kafkacoins.tracing.traces-per-second must be between 0 and 10000, got -1"));
    }

    private static int sampledOfAThousand(Sampler sampler) {
        return (int) LongStream.range(0, 1000).filter(sampler::isSampled).count();
    }
}
