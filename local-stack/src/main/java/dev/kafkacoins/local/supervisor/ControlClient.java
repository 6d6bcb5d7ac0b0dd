package dev.kafkacoins.local.supervisor;

import dev.kafkacoins.local.MinerException;
import dev.kafkacoins.local.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.databind.json.JsonMapper;

/** The commands' side of {@link ControlServer}. */
public final class ControlClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final StackState state;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public ControlClient(StackState state) {
        this.state = state;
    }

    public String get(String path) {
        return send(HttpRequest.newBuilder(uri(path, null, null)).GET());
    }

    public String post(String path, String parameter, String value) {
        return send(HttpRequest.newBuilder(uri(path, parameter, value)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** An action whose answer is the JSON of {@code type} (an {@link Outcome}). */
    public <T> T post(String path, String parameter, String value, Class<T> type) {
        return JSON.readValue(post(path, parameter, value), type);
    }

    private URI uri(String path, String parameter, String value) {
        String query = parameter == null ? "" : "?" + parameter + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
        return URI.create("http://" + Ports.HOST + ":" + state.controlPort() + path + query);
    }

    private String send(HttpRequest.Builder request) {
        try {
            // Scaling up waits for the new hashers to be ready; restarting the broker can take a minute.
            HttpResponse<String> response = http.send(request.header(ControlServer.TOKEN_HEADER, state.token())
                    .timeout(Duration.ofMinutes(3)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new MinerException(response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new MinerException("the stack's supervisor (pid " + state.pid() + ") does not answer on 127.0.0.1:"
                    + state.controlPort() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MinerException("interrupted");
        }
    }
}
