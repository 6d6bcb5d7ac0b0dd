package dev.kafkacoins.local.chaos;

import dev.kafkacoins.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records the chaos run writes straight onto the pipeline's input topics, each of which must end up in a
 * dead-letter topic and nowhere else: syntactic poison (not JSON at all) and hostile records (well-formed JSON
 * whose values are out of range: a timestamp centuries away, a NUL or an escape sequence in an id). The audit
 * leaves them out of its counts and checks that every one of them was dead-lettered exactly once.
 */
final class InjectedRecords {

    /** About the year 2,850,000: beyond any sane clock and beyond what PostgreSQL's timestamptz holds (294276 AD). */
    static final long FAR_FUTURE_MS = 90_000_000_000_000_000L;
    private static final HexFormat HEX = HexFormat.of();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Random random;
    private final Map<String, List<byte[]>> sent = new LinkedHashMap<>();
    private int poison;
    private int hostile;

    InjectedRecords(Random random) {
        this.random = random;
    }

    /** Not JSON: the hasher and the aggregator must dead-letter these without stopping. */
    void sendPoison(Producer<byte[], byte[]> producer, int perTopic) {
        for (int i = 0; i < perTopic; i++) {
            send(producer, Topics.BLOCKS.name(), null, "chaos poison block " + poison + " " + token());
            send(producer, Topics.HASHES.name(), "chaos", "{\"v\":1,\"poison\":" + poison + ",\"r\":\"" + token() + "\"}");
            poison++;
        }
        producer.flush();
    }

    /**
     * One well-formed record with an out-of-range value on each topic that a service reads, rotating through
     * the kinds of hostility; {@code rounds} of them per topic.
     */
    void sendHostile(Producer<byte[], byte[]> producer, int rounds) {
        long now = Instant.now().toEpochMilli();
        long yearAhead = now + Duration.ofDays(365).toMillis();
        for (int i = 0; i < rounds; i++) {
            int kind = hostile++ % 3;
            String seed = hex64();
            String id = switch (kind) {
                case 0 -> "chaos-" + token();
                case 1 -> "chaos-nul\u0000-" + token();
                default -> "chaos-esc\u001b[31m-" + token();
            };
            long createdAt = kind == 0 ? FAR_FUTURE_MS : now;
            send(producer, Topics.BLOCKS.name(), id, json("v", 1, "id", id, "seed", seed, "nonces", 1,
                    "difficulty", 24, "createdAt", createdAt));
            // A report that would move the aggregator's stream time a year ahead, or carry a bad id.
            send(producer, Topics.HASHES.name(), "chaos-hasher", json("v", 1, "block", id, "hasher",
                    kind == 0 ? "chaos-hasher" : id, "partition", 0, "offset", 0, "hashes", 1, "coins", 0,
                    "createdAt", kind == 0 ? FAR_FUTURE_MS : now, "hashedAt", kind == 0 ? yearAhead : now));
            String hash = "0000" + hex64().substring(4);
            send(producer, Topics.COINS.name(), hash, json("v", 1, "hash", hash, "seed", seed, "nonce", 0,
                    "difficulty", 16, "block", id, "hasher", kind == 0 ? "chaos-hasher" : id,
                    "foundAt", kind == 0 ? FAR_FUTURE_MS : now));
        }
        producer.flush();
    }

    private void send(Producer<byte[], byte[]> producer, String topic, String key, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), bytes));
        sent.computeIfAbsent(topic, t -> new ArrayList<>()).add(bytes);
    }

    /** The payloads sent to {@code topic}, as text, so the audit can skip them. */
    Set<String> sentTo(String topic) {
        return sent.getOrDefault(topic, List.of()).stream().map(b -> new String(b, StandardCharsets.UTF_8))
                .collect(Collectors.toSet());
    }

    /** Every payload sent, in order, as text: each must be in a dead-letter topic exactly once. */
    List<String> all() {
        return sent.values().stream().flatMap(List::stream).map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    int poisonCount() {
        return poison;
    }

    int hostileCount() {
        return hostile;
    }

    private String token() {
        return HEX.toHexDigits(random.nextLong());
    }

    private String hex64() {
        return token() + token() + token() + token();
    }

    /** A flat JSON object; Jackson escapes a NUL or an escape character the way JSON says. */
    private static String json(Object... pairs) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            fields.put((String) pairs[i], pairs[i + 1]);
        }
        return JSON.writeValueAsString(fields);
    }
}
