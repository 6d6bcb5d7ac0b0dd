package dev.kafkacoins.zipkin;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.auth.BasicToken;
import com.linecorp.armeria.server.auth.AuthService;
import com.linecorp.armeria.spring.ArmeriaServerConfigurator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Zipkin's server has no login of its own, and on a shared machine every user reaches 127.0.0.1. Loaded into the
 * server as a module ({@code zipkin.internal.module.*}, from {@code loader.path}), this asks every request (the UI,
 * the query API and the span collector alike) for HTTP basic credentials, checked by Armeria's {@link AuthService}.
 * A refusal carries a {@code WWW-Authenticate} challenge, which makes a browser ask for the login and lets the JDK
 * HttpClient of the services' span reporters answer it.
 *
 * <p>The login comes from {@code kafkacoins.zipkin.username} and {@code kafkacoins.zipkin.password}, given
 * through the environment ({@code SPRING_APPLICATION_JSON}), never on a command line; the server does not start
 * without them.
 */
@Configuration(proxyBeanMethods = false)
public class ZipkinLogin {

    static final String USERNAME = "kafkacoins.zipkin.username";
    static final String PASSWORD = "kafkacoins.zipkin.password";

    @Bean
    ArmeriaServerConfigurator kafkacoinsLogin(Environment environment) {
        byte[] username = required(environment, USERNAME);
        byte[] password = required(environment, PASSWORD);
        return server -> server.decorator(AuthService.builder()
                .addBasicAuth((context, token) -> CompletableFuture.completedFuture(matches(token, username, password)))
                .onFailure((delegate, context, request, cause) -> HttpResponse.of(
                        ResponseHeaders.builder(HttpStatus.UNAUTHORIZED)
                                .add(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"KafkaCoins Zipkin\", charset=\"UTF-8\"")
                                .contentType(MediaType.PLAIN_TEXT_UTF_8).build(),
                        HttpData.ofUtf8("This Zipkin wants a login (the local stack's: docs/local-stack.md)\n")))
                .newDecorator());
    }

    /** Both compared in constant time, so the time a refusal takes tells nothing about the password. */
    static boolean matches(BasicToken token, byte[] username, byte[] password) {
        boolean user = MessageDigest.isEqual(token.username().getBytes(StandardCharsets.UTF_8), username);
        boolean secret = MessageDigest.isEqual(token.password().getBytes(StandardCharsets.UTF_8), password);
        return user & secret;
    }

    private static byte[] required(Environment environment, String key) {
        String value = environment.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(key + " is not set: this Zipkin serves only with a login");
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
