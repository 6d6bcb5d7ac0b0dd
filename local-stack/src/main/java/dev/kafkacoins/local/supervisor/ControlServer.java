package dev.kafkacoins.local.supervisor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kafkacoins.local.MinerException;
import dev.kafkacoins.local.Ports;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import tools.jackson.databind.json.JsonMapper;

/**
 * The running supervisor's control endpoint on 127.0.0.1, which {@code scale}, {@code kill}, {@code restart},
 * {@code status} and {@code down} talk to. Every request must carry the token from the owner-only state file.
 * The JDK's own HTTP server is enough for a handful of local calls. Actions answer with their {@link Outcome} as
 * JSON, the status with {@link StackStatus}; errors with a plain sentence and a 4xx/5xx status.
 */
final class ControlServer implements AutoCloseable {

    static final String TOKEN_HEADER = "X-Miner-Token";

    private final HttpServer server;
    private final byte[] token;

    ControlServer(int port, String token, Supervisor supervisor, StatusCollector status, Runnable down)
            throws IOException {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        JsonMapper json = JsonMapper.builder().build();
        server = HttpServer.create(new InetSocketAddress(Ports.HOST, port), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/status", exchange -> handle(exchange, "GET", query ->
                json.writeValueAsString(status.collect())));
        server.createContext("/scale", exchange -> handle(exchange, "POST", query ->
                json.writeValueAsString(supervisor.scaleHashers(intParameter(query, "hasher")))));
        server.createContext("/kill", exchange -> handle(exchange, "POST", query ->
                json.writeValueAsString(supervisor.kill(parameter(query, "service")))));
        server.createContext("/restart", exchange -> handle(exchange, "POST", query ->
                json.writeValueAsString(supervisor.restart(parameter(query, "service")))));
        server.createContext("/down", exchange -> handle(exchange, "POST", query -> {
            Thread.ofPlatform().name("miner-down").start(down);
            return "stopping";
        }));
    }

    void start() {
        server.start();
    }

    private interface Action {
        String run(Map<String, String> query) throws Exception;
    }

    private void handle(HttpExchange exchange, String method, Action action) throws IOException {
        try (exchange) {
            String presented = exchange.getRequestHeaders().getFirst(TOKEN_HEADER);
            if (presented == null || !MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
                reply(exchange, 403, "wrong or missing " + TOKEN_HEADER);
                return;
            }
            if (!exchange.getRequestMethod().equals(method)) {
                reply(exchange, 405, method + " only");
                return;
            }
            try {
                reply(exchange, 200, action.run(query(exchange.getRequestURI().getRawQuery())));
            } catch (MinerException | IllegalArgumentException e) {
                reply(exchange, 400, e.getMessage());
            } catch (Exception e) {
                reply(exchange, 500, e.toString());
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private static String parameter(Map<String, String> query, String name) {
        String value = query.get(name);
        if (value == null || value.isBlank()) {
            throw new MinerException("missing parameter " + name);
        }
        return value;
    }

    private static int intParameter(Map<String, String> query, String name) {
        String value = parameter(query, name);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new MinerException(name + " must be a whole number, got '" + value + "'");
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
