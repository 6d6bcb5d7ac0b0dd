package dev.kafkacoins.local.stack;

import dev.kafkacoins.local.Ports;
import dev.kafkacoins.local.observe.Prometheus;
import dev.kafkacoins.local.observe.Zipkin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Asks each kind of process whether it is up, the way a user would check: a connection, a health endpoint. */
public final class Probes implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Catalog catalog;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private Admin admin;

    public Probes(Catalog catalog) {
        this.catalog = catalog;
    }

    public boolean ready(ServiceSpec spec) {
        return switch (spec.readiness()) {
            case KAFKA -> kafkaAnswers();
            case POSTGRES -> postgresAnswers();
            case ACTUATOR -> get(spec.port(), "/actuator/health/readiness") != null;
            case PROMETHEUS -> prometheusReady(spec.port());
            case ZIPKIN -> zipkinReady(spec.port());
            case EXIT_ZERO -> false;
        };
    }

    /** UP, DOWN, DEGRADED… as the process reports it; "no answer" when it does not answer. */
    public String health(ServiceSpec spec) {
        return switch (spec.readiness()) {
            case KAFKA -> kafkaAnswers() ? "UP" : "no answer";
            case POSTGRES -> postgresAnswers() ? "UP" : "no answer";
            case ACTUATOR -> {
                JsonNode health = get(spec.port(), "/actuator/health");
                yield health == null ? "no answer" : health.path("status").asString("?");
            }
            case PROMETHEUS -> prometheusReady(spec.port()) ? "UP" : "no answer";
            case ZIPKIN -> zipkinReady(spec.port()) ? "UP" : "no answer";
            case EXIT_ZERO -> "-";
        };
    }

    private boolean prometheusReady(int port) {
        return answers200(port, "/-/ready", Prometheus.authorization(catalog.secrets()));
    }

    private boolean zipkinReady(int port) {
        return answers200(port, "/health", Zipkin.authorization(catalog.secrets()));
    }

    private boolean answers200(int port, String path, String authorization) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://" + Ports.HOST + ":" + port + path)).timeout(TIMEOUT)
                    .header("Authorization", authorization).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    public synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> config = new HashMap<>(catalog.kafkaAdmin());
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
            config.put(AdminClientConfig.CLIENT_ID_CONFIG, "miner");
            admin = Admin.create(config);
        }
        return admin;
    }

    private boolean kafkaAnswers() {
        try {
            return !admin().describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    private boolean postgresAnswers() {
        // As the dashboard's role: the database is ready when its roles are (PostgresMain sets them up).
        Properties props = catalog.databaseLogin(DatabaseRoles.WEBUI);
        props.setProperty("connectTimeout", Long.toString(TIMEOUT.toSeconds()));
        props.setProperty("socketTimeout", Long.toString(TIMEOUT.toSeconds()));
        try (Connection c = DriverManager.getConnection(catalog.jdbcUrl(), props)) {
            return c.isValid((int) TIMEOUT.toSeconds());
        } catch (Exception e) {
            return false;
        }
    }

    /** GET a JSON document from a service on 127.0.0.1; null unless it answers 200 with JSON. */
    public JsonNode get(int port, String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://" + Ports.HOST + ":" + port + path)).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? json.readTree(response.body()) : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
    }
}
