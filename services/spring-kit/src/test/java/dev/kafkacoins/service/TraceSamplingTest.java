package dev.kafkacoins.service;

import static org.assertj.core.api.Assertions.assertThat;

import brave.sampler.Sampler;
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
            Sampler sampler = context.getBean(Sampler.class);
            // 1,000 blocks in well under a second: ten traced, not a tenth of them
            int sampled = 0;
            for (int i = 0; i < 1000; i++) {
                sampled += sampler.isSampled(i) ? 1 : 0;
            }
            assertThat(sampled).isBetween(1, 10);
        });
    }

    @Test
    void withoutItBootsProbabilityDecides() {
        contexts.withPropertyValues("management.tracing.sampling.probability=1.0").run(context -> {
            Sampler sampler = context.getBean(Sampler.class);
            int sampled = 0;
            for (int i = 0; i < 1000; i++) {
                sampled += sampler.isSampled(i) ? 1 : 0;
            }
            assertThat(sampled).isEqualTo(1000);
        });
    }

    @Test
    void aRateOutOfRangeStopsTheServiceNamingTheKey() {
        contexts.withPropertyValues("kafkacoins.tracing.traces-per-second=-1").run(context ->
                assertThat(context.getStartupFailure()).rootCause().hasMessage(
                        "kafkacoins.tracing.traces-per-second must be between 0 and 10000, got -1"));
    }
}
