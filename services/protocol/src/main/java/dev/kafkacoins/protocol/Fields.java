package dev.kafkacoins.protocol;

import java.util.regex.Pattern;

/** Field checks shared by the record types; each failure names "Type.field" and what was expected. */
final class Fields {

    private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");
    static final int MAX_ID_LENGTH = 200;

    private Fields() {
    }

    static void version(String type, int v, int supported) {
        if (v != supported) {
            throw new InvalidRecordException(type + ".v: unsupported version " + v + " (this build reads v" + supported + ")");
        }
    }

    static void hex64(String type, String field, String value) {
        present(type, field, value);
        if (!HEX_64.matcher(value).matches()) {
            throw new InvalidRecordException(type + "." + field + " must be 64 lowercase hex characters, got \"" + abbreviate(value) + "\"");
        }
    }

    static void id(String type, String field, String value) {
        present(type, field, value);
        if (value.isBlank() || value.length() > MAX_ID_LENGTH) {
            throw new InvalidRecordException(type + "." + field + " must be 1 to " + MAX_ID_LENGTH + " non-blank characters");
        }
        int bad = value.codePoints().filter(Fields::unprintable).findFirst().orElse(-1);
        if (bad >= 0) {
            // PostgreSQL refuses NUL in text (and pgjdbc before it); the other control and format characters
            // would reach the dashboard and the logs unseen.
            throw new InvalidRecordException(type + "." + field + " must not contain control or invisible characters, "
                    + "found U+" + String.format("%04X", bad) + " at index " + value.indexOf(Character.toString(bad)));
        }
    }

    /** Control, format, private-use and unassigned code points, lone surrogates, line and paragraph separators. */
    private static boolean unprintable(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE, Character.UNASSIGNED,
                 Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        };
    }

    static void range(String type, String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new InvalidRecordException(type + "." + field + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    static void present(String type, String field, Object value) {
        if (value == null) {
            throw new InvalidRecordException(type + "." + field + " is missing");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
