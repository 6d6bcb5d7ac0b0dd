package dev.kafkacoins.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One scrape of a service's {@code /actuator/prometheus}, read as Prometheus reads it: samples with their labels.
 *
 * <p>Parsed by hand: the Prometheus Java client ships writers of the text format but no reader. Only what the
 * tests need is read (sample lines with quoted label values and escapes); comments and timestamps are skipped.
 */
public final class PrometheusScrape {

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private PrometheusScrape(List<Sample> samples) {
        this.samples = List.copyOf(samples);
    }

    /** Scrapes {@code http://127.0.0.1:port/actuator/prometheus}. */
    public static PrometheusScrape of(int port) {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("scrape of port " + port + ": HTTP " + response.statusCode());
            }
            return parse(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static PrometheusScrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(sample(line));
            }
        }
        return new PrometheusScrape(samples);
    }

    /** The samples of one metric whose labels include all of {@code labels}. */
    public List<Sample> samples(String name, Map<String, String> labels) {
        Predicate<Sample> matches = s -> s.name().equals(name)
                && labels.entrySet().stream().allMatch(e -> e.getValue().equals(s.labels().get(e.getKey())));
        return samples.stream().filter(matches).toList();
    }

    /** The sum of those samples' values (0 when there are none). */
    public double sum(String name, Map<String, String> labels) {
        return samples(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    public List<Sample> all() {
        return samples;
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        if (brace < 0 || brace > space) {
            String[] parts = line.trim().split("\\s+");
            return new Sample(parts[0], Map.of(), Double.parseDouble(parts[1]));
        }
        String name = line.substring(0, brace);
        Map<String, String> labels = new LinkedHashMap<>();
        int i = brace + 1;
        while (line.charAt(i) != '}') {
            int eq = line.indexOf('=', i);
            String key = line.substring(i, eq).trim();
            StringBuilder value = new StringBuilder();
            int j = eq + 2; // past ="
            for (; line.charAt(j) != '"'; j++) {
                char c = line.charAt(j);
                if (c == '\\') {
                    char next = line.charAt(++j);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
            }
            labels.put(key, value.toString());
            i = j + 1;
            if (line.charAt(i) == ',') {
                i++;
            }
        }
        String[] rest = line.substring(i + 1).trim().split("\\s+");
        return new Sample(name, labels, Double.parseDouble(rest[0]));
    }
}
