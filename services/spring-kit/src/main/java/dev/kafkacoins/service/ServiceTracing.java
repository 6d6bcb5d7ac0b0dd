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
@EnableConfigurationProperties(ServiceTracing.ZipkinLogin.class)
public class ServiceTracing {

    /**
     * The login of a Zipkin that asks for one (the local stack's does): both keys or neither. The password comes
     * through the environment, never a command line.
     *
     * @param username the user the span reporter logs in as
     * @param password that user's password
     */
    @ConfigurationProperties("kafkacoins.tracing.zipkin")
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
     * The JDK HttpClient answers the server's basic challenge and then sends the login up front on later
     * requests, so a report costs one extra round trip once, not each time.
     */
    @Bean
    ZipkinHttpClientBuilderCustomizer zipkinLoginCustomizer(ZipkinLogin login) {
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
