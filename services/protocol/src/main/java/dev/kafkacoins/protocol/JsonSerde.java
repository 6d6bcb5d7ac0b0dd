package dev.kafkacoins.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Strict JSON for one record type: unknown, missing or null fields, trailing garbage and out-of-range values
 * are all rejected with an {@link InvalidRecordException} whose message names the type and the field.
 * Strictness is deliberate: a record either is the documented format or goes to a dead-letter topic.
 */
public final class JsonSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Jackson's wording for an absent or null record component; its exception carries no property name. */
    private static final Pattern MISSING = Pattern.compile("(?:Missing|(Null value for)) creator property '([^']+)'");

    private final Class<T> type;

    public JsonSerde(Class<T> type) {
        this.type = type;
    }

    public Class<T> type() {
        return type;
    }

    @Override
    public byte[] serialize(String topic, T value) {
        return value == null ? null : MAPPER.writeValueAsBytes(value);
    }

    public String toJson(T value) {
        return new String(serialize(null, value), StandardCharsets.UTF_8);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            throw new InvalidRecordException(type.getSimpleName() + ": record has no value (null)");
        }
        try {
            return MAPPER.readValue(data, type);
        } catch (JacksonException e) {
            throw new InvalidRecordException(describe(e), e);
        }
    }

    public T fromJson(String json) {
        return deserialize(null, json.getBytes(StandardCharsets.UTF_8));
    }

    /** The validation message of a record's own constructor when it is the cause, else Jackson's own words. */
    private String describe(JacksonException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof InvalidRecordException invalid) {
                return invalid.getMessage();
            }
        }
        String name = type.getSimpleName();
        if (e instanceof UnrecognizedPropertyException unknown) {
            return name + "." + unknown.getPropertyName() + " is not a field of this format";
        }
        Matcher missing = MISSING.matcher(e.getOriginalMessage());
        if (missing.find()) {
            return name + "." + missing.group(2) + " is " + (missing.group(1) == null ? "missing" : "null");
        }
        String where = e.getLocation() == null ? "" : " (at line " + e.getLocation().getLineNr()
                + ", column " + e.getLocation().getColumnNr() + ")";
        return name + ": " + e.getOriginalMessage() + where;
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // nothing to configure: the format is fixed by the record type
    }

    @Override
    public void close() {
        // stateless: nothing to release
    }
}
