package dev.kafkacoins.service;

import brave.sampler.RateLimitingSampler;
import brave.sampler.Sampler;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * {@code kafkacoins.tracing.traces-per-second}: Brave's rate-limiting sampler instead of Spring Boot's probability.
 * A probability makes tracing cost grow with the pipeline's pace (a tenth of 50,000 one-nonce blocks a second is
 * 5,000 traces a second); a rate keeps it bounded, and still traces every block at a classroom pace. Before
 * Spring Boot's Brave configuration, whose own sampler gives way to this one.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration")
@ConditionalOnClass(Sampler.class)
@ConditionalOnProperty("kafkacoins.tracing.traces-per-second")
@EnableConfigurationProperties(ServiceTracing.TracingSettings.class)
public class TraceSampling {

    @Bean
    Sampler tracesPerSecond(ServiceTracing.TracingSettings settings) {
        return RateLimitingSampler.create(settings.tracesPerSecond());
    }
}
