package dev.switchboard.server.reports;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * A report as CSV (RFC 4180): a header row of the JSON field names, then one row per item, CRLF
 * line ends. Values are the JSON values: numbers as JSON writes them, {@code null} as an empty
 * field, an object ({@code not_ready_by_reason}) as {@code lunch=1800.0;training=600.0}. A field
 * with a comma, quote or line break is quoted; a text field that a spreadsheet would run as a
 * formula (starting with {@code = + - @}, a tab or a carriage return: ids come from outside) is
 * prefixed with {@code '} so it is shown, not run.
 *
 * <p>NOT thread safe: one per answer.
 */
final class Csv {

    private final List<String> columns;
    private final StringBuilder out = new StringBuilder(4096);

    Csv(List<String> columns) {
        this.columns = List.copyOf(columns);
        for (int i = 0; i < columns.size(); i++) {
            field(i, columns.get(i));
        }
        out.append("\r\n");
    }

    /** One row: the item's value of each column. */
    void row(JsonNode item) {
        for (int i = 0; i < columns.size(); i++) {
            JsonNode v = item.path(columns.get(i));
            if (v.isNull() || v.isMissingNode()) {
                field(i, "");
            } else if (v.isObject()) {
                StringBuilder pairs = new StringBuilder();
                for (var it = v.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!pairs.isEmpty()) {
                        pairs.append(';');
                    }
                    pairs.append(e.getKey()).append('=').append(e.getValue().asText());
                }
                field(i, pairs.toString());
            } else if (v.isTextual()) {
                field(i, defused(v.asText()));
            } else {
                field(i, v.asText());
            }
        }
        out.append("\r\n");
    }

    private void field(int index, String value) {
        if (index > 0) {
            out.append(',');
        }
        if (value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            out.append('"').append(value.replace("\"", "\"\"")).append('"');
        } else {
            out.append(value);
        }
    }

    /** Text a spreadsheet would take for a formula, made plain text. */
    private static String defused(String s) {
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            return "'" + s;
        }
        return s;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
