package dev.kafkacoins.webui;

import dev.kafkacoins.protocol.Schema;
import dev.kafkacoins.service.ServiceDefaults;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The dashboard service: reads PostgreSQL reactively and serves the API under /api. */
@SpringBootApplication
@EnableConfigurationProperties(WebuiProperties.class)
public class WebuiApplication {

    /** Not 8080: that port is taken by half the tools a student already runs. */
    public static final int DEFAULT_PORT = 8480;

    public static void main(String[] args) {
        application().run(args);
    }

    public static SpringApplicationBuilder application() {
        return ServiceDefaults.application(WebuiApplication.class, "webui", DEFAULT_PORT).properties(Map.of(
                "spring.r2dbc.url", Schema.DEFAULT_R2DBC_URL,
                // Errors are RFC 9457 problem details; never a stack trace or exception text.
                "spring.webflux.problemdetails.enabled", true,
                "server.error.include-stacktrace", "never",
                "server.error.include-message", "never"));
    }
}
