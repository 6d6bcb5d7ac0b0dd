package dev.kafkacoins.service;

import io.micrometer.observation.ObservationPredicate;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.net.Authenticator;
import java.net.PasswordAuthentication;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.zipkin.autoconfigure.ZipkinHttpClientBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * Tracing for every service: the {@link RecordTracing} that carries traces across Kafka records, and the login the
 * span reporter answers the local stack's Zipkin with ({@code kafkacoins.tracing.zipkin.*}).
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration",
        "org.springframework.boot.micrometer.tracing.autoconfigure.NoopTracerAutoConfiguration"})
@EnableConfigurationProperties(ServiceTracing.TracingSettings.class)
public class ServiceTracing {

    /**
     * KafkaCoins' own tracing settings ({@code kafkacoins.tracing.*}); Spring Boot's are {@code management.tracing.*}.
     *
     * @param tracesPerSecond at most this many new traces a second, each service (rng's decides for the blocks):
     *                        a bound on tracing's cost whatever the pace of the pipeline; unset, Spring Boot's
     *                        {@code management.tracing.sampling.probability} decides instead
     * @param zipkin          the login the span reporter answers a Zipkin with
     */
    @ConfigurationProperties("kafkacoins.tracing")
    public record TracingSettings(Integer tracesPerSecond, @DefaultValue ZipkinLogin zipkin) {
        public TracingSettings {
            if (tracesPerSecond != null && (tracesPerSecond < 0 || tracesPerSecond > MAX_TRACES_PER_SECOND)) {
                throw new IllegalArgumentException("kafkacoins.tracing.traces-per-second must be between 0 and "
                        + MAX_TRACES_PER_SECOND + ", got " + tracesPerSecond);
            }
        }
    }

    static final int MAX_TRACES_PER_SECOND = 10_000;

    /**
     * The login of a Zipkin that asks for one (the local stack's does): both keys or neither. The password comes
     * through the environment, never a command line.
     *
     * @param username the user the span reporter logs in as
     * @param password that user's password
     */
    public record ZipkinLogin(String username, String password) {
        public ZipkinLogin {
            if ((username == null) != (password == null)) {
                throw new IllegalArgumentException("kafkacoins.tracing.zipkin.username and "
                        + "kafkacoins.tracing.zipkin.password go together: set both, or neither");
            }
        }

        @Override
        public String toString() {
            return "ZipkinLogin[username=" + username + ", password=" + (password == null ? null : "***") + "]";
        }
    }

    /**
     * Prometheus's scrapes and the probes are requests like any other, and would fill the trace backend with
     * {@code http get /actuator/prometheus}: the Actuator's requests are not observed (no span, no request metric).
     */
    @Bean
    ObservationPredicate actuatorRequestsUnobserved() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext request
                && request.getCarrier().getPath().value().startsWith("/actuator"));
    }

    @Bean
    RecordTracing recordTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        return new RecordTracing(tracer.getIfAvailable(() -> Tracer.NOOP), propagator);
    }

    /**
     * The JDK HttpClient of Boot's span reporter answers the server's basic challenge ({@code WWW-Authenticate})
     * with this login.
     */
    @Bean
    ZipkinHttpClientBuilderCustomizer zipkinLoginCustomizer(TracingSettings settings) {
        ZipkinLogin login = settings.zipkin();
        return builder -> {
            if (login.username() == null) {
                return;
            }
            PasswordAuthentication credentials = new PasswordAuthentication(login.username(),
                    login.password().toCharArray());
            builder.authenticator(new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return getRequestorType() == RequestorType.SERVER ? credentials : null;
                }
            });
        };
    }
}
