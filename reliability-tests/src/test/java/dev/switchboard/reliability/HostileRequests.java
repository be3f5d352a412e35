package dev.switchboard.reliability;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.server.TestServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A deterministic corpus of malformed and hostile requests against call-server: truncated and
 * deeply nested JSON, huge numbers, wrong types, unicode and control characters in ids, 10 MB
 * bodies, SQL/JS injection strings in every field, duplicate keys, wrong content types,
 * missing/garbled keys, wrong HTTP methods, hostile arrays and broken HTTP framing.
 *
 * <p>Each {@link Attempt} says which statuses are right for it ({@code null}: any 2xx or 4xx)
 * and which events its body carries, so the test can check that accepted ones were stored
 * verbatim and rejected ones left no trace. Every attempt uses call ids of its own.
 */
final class HostileRequests {

    /** An event a request carries: what must be stored verbatim if it is accepted. */
    record Sent(String callId, String eventId, JsonNode data) {
    }

    /**
     * One hostile request.
     *
     * @param setup    valid events posted first (each must be accepted), e.g. the call the attempt acts on
     * @param expected the statuses that are right, or {@code null} for "any 2xx or 4xx"
     * @param sent     the events in the body (one, or the items of an array), for the stored-verbatim check
     */
    record Attempt(String family, List<Sent> setup, Exchange.Request request, Set<Integer> expected, List<Sent> sent,
                   boolean batch) {
    }

    static final Set<Integer> BAD_REQUEST = Set.of(400);
    static final Set<Integer> UNAUTHORIZED = Set.of(401);
    static final Set<Integer> TOO_LARGE = Set.of(413);
    static final Set<Integer> UNSUPPORTED = Set.of(415);
    static final Set<Integer> ACCEPTED = Set.of(200, 201);

    /** Strings that would do harm if anything concatenated them into SQL, HTML, JS, a template or a path. */
    static final List<String> INJECTIONS = List.of(
        "' OR '1'='1", "'; DROP TABLE call_events; --", "\" OR \"\"=\"", "1; SELECT pg_sleep(10)--",
        "x'); DELETE FROM calls; --", "$$; DROP TABLE calls; $$", "' UNION SELECT reply FROM call_events --",
        "\\'; --", "%27%20OR%201=1", "admin'--", ") OR 1=1 --", "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(document.cookie)>", "javascript:alert(1)", "</script><script>alert(1)</script>",
        "{{7*7}}", "${7*7}", "#{7*7}", "%s%s%s%n", "../../../../etc/passwd", "..\\..\\windows\\win.ini",
        "__proto__", "constructor", "{\"$gt\":\"\"}", "null", "undefined", "NaN", "\\u0000", "<!--", "]]>",
        "&lt;&#x3C;", "${jndi:ldap://127.0.0.1:1/a}", "\\\"}]}", "*/;alert(1);/*");

    /** Ids that are odd but legal: must be stored and returned exactly as sent. */
    static final List<String> ODD_IDS = List.of(
        "é", "e\u0301", "ｃａｌｌ", "\u200b", "\u202eevil", "\ufeffbom", "\ufffe", "\uffff", "😀", "👩‍👩‍👧‍👦",
        "..", "../x", "/", "a/b", "%2F", "?a=b", "#frag", " ", "\u00a0", "a b", "\\", "\"", "'", "null", "0",
        "-1", "true", "{}", "[]", "中文電話", "עברית", "ﷺ", "\u0600", "Z̴̡̛̖a̸l̷g̶o");

    /** Halves of surrogate pairs: not Unicode text. The server must refuse them or keep them exactly. */
    static final List<String> UNPAIRED_SURROGATES = List.of("\ud800", "\udfff", "x\udc00\ud800y", "\ud83d");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Writes every non-ASCII character as a {@code \\uXXXX} escape (so unpaired surrogates can be sent). */
    private static final ObjectMapper ESCAPED = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private static final String JSON = "application/json";

    private final List<Attempt> out = new ArrayList<>();
    private int n;

    private HostileRequests() {
    }

    static List<Attempt> all() {
        HostileRequests g = new HostileRequests();
        g.truncated();
        g.nested();
        g.numbers();
        g.wrongTypes();
        g.controlAndUnicodeIds();
        g.injections();
        g.duplicateKeys();
        g.bigBodies();
        g.contentTypes();
        g.keys();
        g.methods();
        g.arrays();
        g.framing();
        return List.copyOf(g.out);
    }

    // ------------------------------------------------------------------ helpers

    private String id(String stem) {
        return "h" + (++n) + "-" + stem;
    }

    static ObjectNode event(String eventId, String type, String callId, ObjectNode data) {
        ObjectNode e = NODES.objectNode();
        if (eventId != null) {
            e.put("event_id", eventId);
        }
        e.put("type", type);
        e.put("call_id", callId);
        e.set("data", data);
        return e;
    }

    static ObjectNode initiated(String eventId, String callId) {
        return event(eventId, "call_initiated", callId, data("type", "voice", "queue_id", "medical_spanish"));
    }

    static ObjectNode data(String... kv) {
        ObjectNode d = NODES.objectNode();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            d.put(kv[i], kv[i + 1]);
        }
        return d;
    }

    static byte[] bytes(JsonNode n) {
        try {
            return ESCAPED.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Sent sent(ObjectNode e) {
        return new Sent(e.path("call_id").asText(), e.hasNonNull("event_id") ? e.path("event_id").asText() : null, e.path("data"));
    }

    private static List<String[]> jsonWith(String key) {
        return Exchange.headers("X-API-Key", key, "Content-Type", JSON);
    }

    private void post(String family, List<Sent> setup, byte[] body, Set<Integer> expected, List<Sent> sent) {
        out.add(new Attempt(family, setup, Exchange.Request.of("POST", "/api/events", jsonWith(TestServer.INGEST_KEY), body),
            expected, sent, false));
    }

    private void postEvent(String family, List<Sent> setup, ObjectNode event, Set<Integer> expected) {
        post(family, setup, bytes(event), expected, List.of(sent(event)));
    }

    private void postText(String family, String body, Set<Integer> expected) {
        post(family, List.of(), body.getBytes(StandardCharsets.UTF_8), expected, List.of());
    }

    private void get(String family, String target, String key, Set<Integer> expected) {
        out.add(new Attempt(family, List.of(), Exchange.Request.of("GET", target, Exchange.headers("X-API-Key", key), null),
            expected, List.of(), false));
    }

    private void request(String family, Exchange.Request r, Set<Integer> expected) {
        out.add(new Attempt(family, List.of(), r, expected, List.of(), false));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ------------------------------------------------------------------ families

    /** Every prefix (at a stride) of valid bodies: always malformed JSON. */
    private void truncated() {
        List<byte[]> bodies = List.of(
            bytes(initiated("t-e1", id("trunc"))),
            bytes(event("t-e2", "call_routed", id("trunc"), data("agent_id", "ana_garcia"))),
            bytes(event("t-e3", "call_ended", id("trunc"), data("end_reason", "completed"))),
            bytes(NODES.arrayNode().add(initiated("t-e4", id("trunc"))).add(initiated("t-e5", id("trunc")))),
            "{\"event_id\":\"t-e6\",\"type\":\"call_initiated\",\"call_id\":\"trunc-é😀\",\"data\":{\"type\":\"voice\",\"queue_id\":\"medical_spanish\"}}"
                .getBytes(StandardCharsets.UTF_8));
        for (byte[] b : bodies) {
            int stride = Math.max(1, b.length / 36);
            for (int cut = 1; cut < b.length; cut += stride) {
                post("truncated JSON", List.of(), Arrays.copyOf(b, cut), BAD_REQUEST, List.of());
            }
        }
        // cut inside a multi-byte UTF-8 sequence, then closed: invalid UTF-8
        byte[] emoji = "😀".getBytes(StandardCharsets.UTF_8);
        for (int keep = 1; keep < emoji.length; keep++) {
            byte[] head = ("{\"type\":\"call_initiated\",\"call_id\":\"" + id("utf8") + "x").getBytes(StandardCharsets.UTF_8);
            byte[] tail = "\",\"data\":{\"type\":\"voice\",\"queue_id\":\"medical_spanish\"}}".getBytes(StandardCharsets.UTF_8);
            byte[] body = new byte[head.length + keep + tail.length];
            System.arraycopy(head, 0, body, 0, head.length);
            System.arraycopy(emoji, 0, body, head.length, keep);
            System.arraycopy(tail, 0, body, head.length + keep, tail.length);
            post("truncated JSON", List.of(), body, BAD_REQUEST, List.of());
        }
        for (String s : List.of("{", "[", "\"", "{\"", "[{", "{\"a\"", "{\"a\":", "{\"a\":1,", "nul", "tru", "-", "1e", "\u0000")) {
            postText("truncated JSON", s, BAD_REQUEST);
        }
    }

    /** Nesting around the limit of 32 and far beyond, in arrays and objects, at the top and inside data. */
    private void nested() {
        for (int depth : new int[] {30, 31, 32, 33, 64, 1_000, 100_000}) {
            postText("deep nesting", "[".repeat(depth) + "]".repeat(depth), depth <= 32 ? null : BAD_REQUEST);
            postText("deep nesting", "{\"a\":".repeat(depth) + "1" + "}".repeat(depth), depth <= 32 ? null : BAD_REQUEST);
            // inside an otherwise valid event: data.extra at depth 3 + depth
            String callId = id("deep");
            String body = "{\"type\":\"call_initiated\",\"call_id\":\"" + callId + "\",\"data\":{\"type\":\"voice\","
                + "\"queue_id\":\"medical_spanish\",\"extra\":" + "[".repeat(depth) + "]".repeat(depth) + "}}";
            Set<Integer> expected = depth + 2 <= 32 ? ACCEPTED : BAD_REQUEST;
            List<Sent> sent = new ArrayList<>();
            if (expected == ACCEPTED) {
                try {
                    sent.add(new Sent(callId, null, ESCAPED.readTree(body).path("data")));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            post("deep nesting", List.of(), body.getBytes(StandardCharsets.UTF_8), expected, sent);
        }
    }

    /** Huge, tiny, negative, non-finite and malformed numbers in every numeric field and in extra fields. */
    private void numbers() {
        List<String> literals = List.of("1e400", "-1e400", "1e308", "4.9e-324", "-0.0", "0", "604800", "604800.0001",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1" + "0".repeat(63),
            "1" + "0".repeat(64), "1" + "0".repeat(1000), "0." + "0".repeat(70) + "1", "1e-400", "123456789.123456789e300");
        List<String> malformed = List.of("NaN", "Infinity", "-Infinity", "0x10", "01", "1.", ".5", "+1", "1e", "--1", "1_000");
        for (String field : List.of("routing_time", "duration", "extra")) {
            for (String lit : literals) {
                numberAttempt(field, lit, true);
            }
            for (String lit : malformed) {
                numberAttempt(field, lit, false);
            }
        }
    }

    private void numberAttempt(String field, String literal, boolean wellFormed) {
        String call = id("num");
        List<Sent> setup = field.equals("extra") ? List.of() : List.of(sent(initiated(call + "-i", call)));
        String eventId = call + "-n";
        String body = switch (field) {
            case "routing_time" -> "{\"event_id\":\"" + eventId + "\",\"type\":\"call_routed\",\"call_id\":\"" + call
                + "\",\"data\":{\"agent_id\":\"ana_garcia\",\"routing_time\":" + literal + "}}";
            case "duration" -> "{\"event_id\":\"" + eventId + "\",\"type\":\"call_ended\",\"call_id\":\"" + call
                + "\",\"data\":{\"end_reason\":\"completed\",\"duration\":" + literal + "}}";
            default -> "{\"event_id\":\"" + eventId + "\",\"type\":\"call_initiated\",\"call_id\":\"" + call
                + "\",\"data\":{\"type\":\"voice\",\"queue_id\":\"medical_spanish\",\"extra\":" + literal + "}}";
        };
        List<Sent> sent = new ArrayList<>();
        if (wellFormed && literal.length() <= 64) {
            try {
                sent.add(new Sent(call, eventId, ESCAPED.readTree(body).path("data")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        post("huge and odd numbers", setup, body.getBytes(StandardCharsets.UTF_8), wellFormed && literal.length() <= 64 ? null
            : BAD_REQUEST, sent);
    }

    /** Every field of the envelope and of data with every JSON type. */
    private void wrongTypes() {
        List<JsonNode> values = List.of(NODES.numberNode(1), NODES.numberNode(1.5), NODES.booleanNode(true),
            NODES.booleanNode(false), NODES.nullNode(), NODES.arrayNode(), NODES.objectNode(),
            NODES.arrayNode().add("x"), NODES.objectNode().put("a", 1), NODES.textNode(""));
        for (String field : List.of("event_id", "type", "call_id", "timestamp", "data")) {
            for (JsonNode v : values) {
                ObjectNode e = initiated(id("type") + "-e", id("type"));
                e.set(field, v);
                boolean fine = v.isNull() && (field.equals("event_id") || field.equals("timestamp"));
                postEvent("wrong types", List.of(), e, fine ? ACCEPTED : BAD_REQUEST);
            }
        }
        for (String field : List.of("type", "queue_id")) {
            for (JsonNode v : values) {
                ObjectNode e = initiated(id("dtype") + "-e", id("dtype"));
                ((ObjectNode) e.get("data")).set(field, v);
                postEvent("wrong types", List.of(), e, BAD_REQUEST);
            }
        }
        for (JsonNode v : List.of(NODES.numberNode(1), NODES.textNode("x"), NODES.booleanNode(true), NODES.nullNode())) {
            postText("wrong types", v.toString(), BAD_REQUEST);
        }
    }

    /** Control characters (refused) and odd or unpaired Unicode (kept exactly, or refused) in each id field. */
    private void controlAndUnicodeIds() {
        List<String> controls = new ArrayList<>();
        for (char c = 0; c < 0x20; c++) {
            controls.add("a" + c + "b");
        }
        controls.addAll(List.of("a\u007fb", "a\u0085b", "a\u009fb", "a\u2028b", "a\u2029b"));
        for (String s : controls) {
            postEvent("control chars in ids", List.of(), initiated(id("cc") + "-e", id("cc") + s), BAD_REQUEST);
            postEvent("control chars in ids", List.of(), initiated(s, id("cc")), BAD_REQUEST);
            String call = id("cc");
            postEvent("control chars in ids", List.of(sent(initiated(call + "-i", call))),
                event(call + "-r", "call_routed", call, data("agent_id", s)), BAD_REQUEST);
            // a raw (unescaped) control character inside a JSON string is malformed JSON
            if (s.charAt(1) < 0x20) {
                postText("control chars in ids", "{\"type\":\"call_initiated\",\"call_id\":\"" + id("rawcc") + s
                    + "\",\"data\":{\"type\":\"voice\",\"queue_id\":\"medical_spanish\"}}", BAD_REQUEST);
            }
        }
        List<String> odd = new ArrayList<>(ODD_IDS);
        odd.addAll(UNPAIRED_SURROGATES);
        for (String s : odd) {
            postEvent("unicode ids", List.of(), initiated(id("u") + "-e", id("u") + s), null);
            postEvent("unicode ids", List.of(), initiated(s, id("u")), null);
            String call = id("u");
            postEvent("unicode ids", List.of(sent(initiated(call + "-i", call))),
                event(call + "-r", "call_routed", call, data("agent_id", "agent-" + s)), null);
        }
        // length limits counted in UTF-16 units: 128 passes, 129 does not
        String stem = id("len");
        postEvent("unicode ids", List.of(), initiated("len-e", stem + "x".repeat(128 - stem.length())), ACCEPTED);
        postEvent("unicode ids", List.of(), initiated("len-e", id("len") + "x".repeat(128)), BAD_REQUEST);
        String emojiStem = id("emo");
        postEvent("unicode ids", List.of(), initiated("emo-e", emojiStem + "x".repeat((128 - emojiStem.length()) % 2)
            + "😀".repeat((128 - emojiStem.length()) / 2)), ACCEPTED);
        postEvent("unicode ids", List.of(), initiated("emo-e", id("emo") + "😀".repeat(65)), BAD_REQUEST);
    }

    /** Injection strings in every field of the body, the query, the path and the key header. */
    private void injections() {
        for (String s : INJECTIONS) {
            postEvent("injection: body", List.of(), initiated(id("inj") + "-e", id("inj") + s), ACCEPTED);
            postEvent("injection: body", List.of(), initiated("inj " + s, id("inj")), ACCEPTED);
            postEvent("injection: body", List.of(), event(id("inj"), s, id("inj"), data()), BAD_REQUEST);
            ObjectNode ts = initiated(id("inj") + "-e", id("inj"));
            ts.put("timestamp", s);
            postEvent("injection: body", List.of(), ts, BAD_REQUEST);
            postEvent("injection: body", List.of(), event(id("inj") + "-e", "call_initiated", id("inj"),
                data("type", s, "queue_id", "medical_spanish")), BAD_REQUEST);
            postEvent("injection: body", List.of(), event(id("inj") + "-e", "call_initiated", id("inj"),
                data("type", "voice", "queue_id", s)), Set.of(422));
            ObjectNode extra = initiated(id("inj") + "-e", id("inj"));
            ((ObjectNode) extra.get("data")).put("note", s).put(s, s).set("nested", NODES.objectNode().put(s, s));
            postEvent("injection: body", List.of(), extra, ACCEPTED);
            String call = id("inj");
            postEvent("injection: body", List.of(sent(initiated(call + "-i", call))),
                event(call + "-r", "call_routed", call, data("agent_id", s)), ACCEPTED);
            String ended = id("inj");
            postEvent("injection: body", List.of(sent(initiated(ended + "-i", ended))),
                event(ended + "-x", "call_ended", ended, data("end_reason", s.length() > 64 ? s.substring(0, 64) : s)), ACCEPTED);
            String ringing = id("inj");
            postEvent("injection: body", List.of(sent(initiated(ringing + "-i", ringing)),
                    sent(event(ringing + "-r", "call_routed", ringing, data("agent_id", "ana_garcia")))),
                event(ringing + "-t", "call_retransfer", ringing, data("reason", s)), ACCEPTED);

            String q = enc(s);
            get("injection: query", "/api/calls?status=" + q, TestServer.SUPERVISOR_KEY, BAD_REQUEST);
            get("injection: query", "/api/calls?queue=" + q + "&agent=" + q, TestServer.SUPERVISOR_KEY, Set.of(200));
            get("injection: query", "/api/calls?limit=" + q, TestServer.SUPERVISOR_KEY, BAD_REQUEST);
            get("injection: query", "/api/calls?cursor=" + q, TestServer.SUPERVISOR_KEY, BAD_REQUEST);
            get("injection: query", "/api/alerts?open=" + q, TestServer.SUPERVISOR_KEY, BAD_REQUEST);
            get("injection: query", "/api/deliveries?state=" + q, TestServer.ADMIN_KEY, BAD_REQUEST);
            String p = enc(s).replace("%2F", "%252F");
            get("injection: path", "/api/calls/" + p, TestServer.SUPERVISOR_KEY, Set.of(404));
            get("injection: path", "/api/calls/" + p + "/events", TestServer.SUPERVISOR_KEY, Set.of(404));
            request("injection: path", Exchange.Request.of("POST", "/api/alerts/" + p + "/ack",
                Exchange.headers("X-API-Key", TestServer.SUPERVISOR_KEY), new byte[0]), Set.of(404));
            // 200 where an injection test above registered the agent (routing to an unknown agent registers it)
            request("injection: path", Exchange.Request.of("POST", "/api/agents/" + p + "/available",
                Exchange.headers("X-API-Key", TestServer.SUPERVISOR_KEY), new byte[0]), Set.of(200, 404));
            request("injection: path", Exchange.Request.of("DELETE", "/api/webhooks/" + p,
                Exchange.headers("X-API-Key", TestServer.ADMIN_KEY), null), Set.of(404));
            request("injection: path", Exchange.Request.of("POST", "/api/deliveries/" + p + "/replay",
                Exchange.headers("X-API-Key", TestServer.ADMIN_KEY), new byte[0]), Set.of(404));
            get("injection: key header", "/api/calls", s, UNAUTHORIZED);
        }
    }

    /** The same key twice, at the top and inside data. */
    private void duplicateKeys() {
        for (String field : List.of("event_id", "type", "call_id", "timestamp", "data")) {
            String call = id("dup");
            String body = "{\"event_id\":\"" + call + "-e\",\"type\":\"call_initiated\",\"call_id\":\"" + call
                + "\",\"timestamp\":\"2026-11-24T10:00:00Z\",\"data\":{\"type\":\"voice\",\"queue_id\":\"medical_spanish\"},\""
                + field + "\":" + (field.equals("data") ? "{}" : "\"x\"") + "}";
            postText("duplicate keys", body, BAD_REQUEST);
        }
        for (String field : List.of("type", "queue_id", "extra")) {
            postText("duplicate keys", "{\"type\":\"call_initiated\",\"call_id\":\"" + id("dup") + "\",\"data\":{\"type\":\"voice\","
                + "\"queue_id\":\"medical_spanish\",\"extra\":1,\"" + field + "\":\"medical_english\"}}", BAD_REQUEST);
        }
        postText("duplicate keys", "{\"type\":\"call_initiated\",\"call_id\":\"" + id("dup") + "\",\"data\":{\"type\":\"voice\","
            + "\"queue_id\":\"medical_spanish\",\"x\":{\"a\":1,\"a\":2}}}", BAD_REQUEST);
        postText("duplicate keys", "[{\"type\":\"call_initiated\",\"type\":\"call_ended\",\"call_id\":\"" + id("dup") + "\"}]",
            BAD_REQUEST);
        postText("duplicate keys", "{\"type\":\"call_initiated\",\"call_id\":\"" + id("dup") + "\",\"call_id\":\"" + id("dup")
            + "\",\"data\":{\"type\":\"voice\",\"queue_id\":\"medical_spanish\"}}", BAD_REQUEST);
        // different keys that only look alike are not duplicates: unknown top-level fields are ignored
        ObjectNode alike = initiated(id("alike") + "-e", id("alike"));
        alike.put("Type", "call_ended").put("call_id\u200b", "other").put("type ", "x");
        postEvent("duplicate keys", List.of(), alike, ACCEPTED);
    }

    /** 10 MB and boundary-sized bodies, with Content-Length and chunked. */
    private void bigBodies() {
        int tenMb = 10 * 1024 * 1024;
        String pad = "x".repeat(tenMb);
        byte[] bigString = ("{\"type\":\"call_initiated\",\"call_id\":\"" + id("big") + "\",\"pad\":\"" + pad + "\"}")
            .getBytes(StandardCharsets.UTF_8);
        post("10 MB bodies", List.of(), bigString, TOO_LARGE, List.of());
        out.add(new Attempt("10 MB bodies", List.of(), Exchange.Request.of("POST", "/api/events",
            jsonWith(TestServer.INGEST_KEY), bigString).chunked(), TOO_LARGE, List.of(), false));
        byte[] whitespace = new byte[tenMb];
        Arrays.fill(whitespace, (byte) ' ');
        post("10 MB bodies", List.of(), whitespace, TOO_LARGE, List.of());
        StringBuilder array = new StringBuilder("[");
        while (array.length() < tenMb) {
            array.append(new String(bytes(initiated("big-e", id("bigarr"))), StandardCharsets.UTF_8)).append(',');
        }
        array.setLength(array.length() - 1);
        array.append(']');
        post("10 MB bodies", List.of(), array.toString().getBytes(StandardCharsets.UTF_8), TOO_LARGE, List.of());
        out.add(new Attempt("10 MB bodies", List.of(), Exchange.Request.of("POST", "/api/events",
            jsonWith(TestServer.INGEST_KEY), ("[".repeat(tenMb / 2) + "]".repeat(tenMb / 2)).getBytes(StandardCharsets.US_ASCII))
            .chunked(), TOO_LARGE, List.of(), false));
        // the limit itself (1 MiB by default): a valid event padded with whitespace to exactly the limit, then one byte more
        int limit = 1024 * 1024;
        for (int size : new int[] {limit, limit + 1}) {
            ObjectNode e = initiated(null, id("limit"));
            byte[] b = bytes(e);
            byte[] padded = Arrays.copyOf(b, size);
            Arrays.fill(padded, b.length, size, (byte) ' ');
            post("10 MB bodies", List.of(), padded, size <= limit ? ACCEPTED : TOO_LARGE, size <= limit ? List.of(sent(e)) : List.of());
        }
    }

    /** Bodies that are not JSON, and JSON under media types that are not JSON, or under unparsable ones. */
    private void contentTypes() {
        List<String> notJson = List.of("text/plain", "text/json", "application/xml", "text/html", "application/javascript",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/octet-stream",
            "image/png", "*/*", "application/jsonx", "application/json5");
        for (String type : notJson) {
            typed(type, initiated("ct-e", id("ct")), UNSUPPORTED);
        }
        typed(null, initiated("ct-e", id("ct")), UNSUPPORTED);
        // unparsable media types: a client error (400 or 415), never a 500
        for (String type : List.of(";;;", "%%%", "application/json;", "application/json; a", "application/json; charset=\"",
            "/", "application", "application/", "a/b/c")) {
            typed(type, initiated("ct-e", id("ct")), Set.of(400, 415));
        }
        // lenient but harmless: JSON with an odd parameter or charset, in any letter case, or as a +json type
        for (String type : List.of("application/json; =x", "APPLICATION/JSON", "application/json; charset=utf-16",
            "application/json; charset=bogus", "application/problem+json", "application/vnd.evil+json")) {
            typed(type, initiated("ct-e", id("ct")), null);
        }
        // form fields and XML under a JSON type
        request("wrong content types", Exchange.Request.of("POST", "/api/events", jsonWith(TestServer.INGEST_KEY),
            ("type=call_initiated&call_id=" + id("ct")).getBytes(StandardCharsets.UTF_8)), BAD_REQUEST);
        request("wrong content types", Exchange.Request.of("POST", "/api/events", jsonWith(TestServer.INGEST_KEY),
            "<event><type>call_initiated</type></event>".getBytes(StandardCharsets.UTF_8)), BAD_REQUEST);
        // JSON in UTF-16 and with a byte order mark: Jackson detects the encoding; either way not a 5xx
        ObjectNode utf16 = initiated("u16-e", id("u16"));
        post("wrong content types", List.of(), utf16.toString().getBytes(StandardCharsets.UTF_16BE), null, List.of(sent(utf16)));
        ObjectNode bom = initiated("bom-e", id("bom"));
        post("wrong content types", List.of(), ("\ufeff" + bom).getBytes(StandardCharsets.UTF_8), null, List.of(sent(bom)));
    }

    private void typed(String type, ObjectNode event, Set<Integer> expected) {
        List<String[]> headers = type == null ? Exchange.headers("X-API-Key", TestServer.INGEST_KEY)
            : Exchange.headers("X-API-Key", TestServer.INGEST_KEY, "Content-Type", type);
        out.add(new Attempt("wrong content types", List.of(), Exchange.Request.of("POST", "/api/events", headers, bytes(event)),
            expected, List.of(sent(event)), false));
    }

    /** Missing, empty, near-miss, oversized and misplaced keys on a writing and on reading routes. */
    private void keys() {
        String k = TestServer.INGEST_KEY;
        List<String> wrong = List.of("", " ", "x", "test-ingest-key", k.substring(0, k.length() - 1), k + "x",
            k.toUpperCase(java.util.Locale.ROOT), k.replace('0', 'O'), "Bearer " + k, k.substring(1) + k.charAt(0),
            "k".repeat(10_000), "ключ-ключ-ключ-ключ", TestServer.SUPERVISOR_KEY + "," + k);
        for (String target : List.of("/api/events", "/api/calls", "/api/webhooks", "/api/info")) {
            boolean post = target.equals("/api/events");
            for (String key : wrong) {
                request("missing or garbled keys", Exchange.Request.of(post ? "POST" : "GET", target,
                    key.isEmpty() && target.equals("/api/calls") ? List.of() : Exchange.headers("X-API-Key", key, "Content-Type", JSON),
                    post ? bytes(initiated("k-e", id("key"))) : null), UNAUTHORIZED);
            }
            for (String[] h : List.of(new String[] {"Authorization", "Bearer " + k}, new String[] {"X_API_KEY", k},
                new String[] {"API-Key", k}, new String[] {"X-API-Key-", k}, new String[] {"Cookie", "X-API-Key=" + k})) {
                request("missing or garbled keys", Exchange.Request.of(post ? "POST" : "GET", target,
                    Exchange.headers(h[0], h[1], "Content-Type", JSON), post ? bytes(initiated("k-e", id("key"))) : null),
                    UNAUTHORIZED);
            }
            request("missing or garbled keys", Exchange.Request.of(post ? "POST" : "GET", target + "?api_key=" + k
                + "&X-API-Key=" + k + "&token=" + k, Exchange.headers("Content-Type", JSON),
                post ? bytes(initiated("k-e", id("key"))) : null), UNAUTHORIZED);
        }
    }

    /** Every method on every route, where the route does not define it. */
    private void methods() {
        List<String[]> routes = List.of(new String[] {"/api/events", "POST"}, new String[] {"/api/calls", "GET"},
            new String[] {"/api/calls/x", "GET"}, new String[] {"/api/calls/x/events", "GET"}, new String[] {"/api/queues", "GET"},
            new String[] {"/api/agents", "GET"}, new String[] {"/api/agents/x/available", "POST"},
            new String[] {"/api/alerts", "GET"}, new String[] {"/api/alerts/x/ack", "POST"}, new String[] {"/api/info", "GET"},
            new String[] {"/api/webhooks", "GET POST"}, new String[] {"/api/webhooks/x", "DELETE"},
            new String[] {"/api/deliveries", "GET"}, new String[] {"/api/deliveries/1/replay", "POST"});
        for (String[] route : routes) {
            for (String m : List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "PROPFIND", "FOO")) {
                if (route[1].contains(m) || (m.equals("HEAD") && route[1].contains("GET"))) {
                    continue;
                }
                request("wrong methods", Exchange.Request.of(m, route[0], Exchange.headers("X-API-Key", TestServer.ADMIN_KEY,
                    "Content-Type", JSON), m.equals("GET") || m.equals("HEAD") ? null : bytes(initiated("m-e", id("m")))),
                    Set.of(404, 405));
            }
        }
    }

    /** Arrays: empty, over the limit, of non-objects, of hostile events, nested. */
    private void arrays() {
        postText("hostile arrays", "[]", BAD_REQUEST);
        ArrayNode over = NODES.arrayNode();
        for (int i = 0; i < 1001; i++) {
            over.add(initiated("o" + i, id("over")));
        }
        post("hostile arrays", List.of(), bytes(over), BAD_REQUEST, List.of());
        post("hostile arrays", List.of(), "[1,\"x\",null,[],true,{}]".getBytes(StandardCharsets.UTF_8), Set.of(207), List.of());
        post("hostile arrays", List.of(), "[[{\"type\":\"call_initiated\"}]]".getBytes(StandardCharsets.UTF_8), Set.of(207),
            List.of());
        // every item refused: still one result per item, nothing stored
        ArrayNode refused = NODES.arrayNode();
        for (int i = 0; i < 1000; i++) {
            refused.add(event("r" + i, "call_routed", id("ref"), data("agent_id", "a\u0001")));
        }
        post("hostile arrays", List.of(), bytes(refused), Set.of(207), List.of());
        // a mix: valid events, injections, control chars, an unknown queue, the same event twice
        for (int round = 0; round < 10; round++) {
            ArrayNode mix = NODES.arrayNode();
            List<Sent> sent = new ArrayList<>();
            String call = id("mix");
            ObjectNode[] items = {
                initiated(call + "-1", call),
                event(call + "-2", "call_routed", call, data("agent_id", INJECTIONS.get(round))),
                event(call + "-3", "call_answered", call, data()),
                event(call + "-4", "call_hold", call, data("x", "a\u0000b")),
                initiated(call + "-1", call),
                event(call + "-5", "call_ended", call, data("end_reason", "a\u0007")),
                initiated(id("mix") + "-q", id("mix")),
            };
            ((ObjectNode) items[6].get("data")).put("queue_id", "no_such_queue");
            for (ObjectNode item : items) {
                mix.add(item);
                sent.add(sent(item));
            }
            mix.add(NODES.textNode("not an event"));
            sent.add(null);
            out.add(new Attempt("hostile arrays", List.of(), Exchange.Request.of("POST", "/api/events",
                jsonWith(TestServer.INGEST_KEY), bytes(mix)), Set.of(207), sent, true));
        }
    }

    /** Broken HTTP: request lines, headers, lengths and chunking a client library would never send. */
    private void framing() {
        String key = TestServer.INGEST_KEY;
        String event = new String(bytes(initiated("f-e", id("frame"))), StandardCharsets.UTF_8);
        List<String> raws = List.of(
            "GARBAGE\r\n\r\n",
            "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
            "GET /api/calls HTTP/1.1\r\nHost: x\r\nX-API-Key " + key + "\r\nConnection: close\r\n\r\n",
            "GET /api/calls HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key + "\r\n folded: value\r\nConnection: close\r\n\r\n",
            "GET /api/calls HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(70_000) + "\r\nConnection: close\r\n\r\n",
            "GET /api/calls/" + "a".repeat(100_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            "GET /api/calls/%ZZ HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key + "\r\nConnection: close\r\n\r\n",
            "GET /api/calls/%00 HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key + "\r\nConnection: close\r\n\r\n",
            "GET http://evil.example/api/calls HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
            "GET /api/calls HTTP/1.1\r\nConnection: close\r\n\r\n",
            "GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            "POST /api/events HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: -1\r\nConnection: close\r\n\r\n" + event,
            "POST /api/events HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: abc\r\nConnection: close\r\n\r\n" + event,
            "POST /api/events HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: 5\r\nContent-Length: " + event.length() + "\r\nConnection: close\r\n\r\n" + event,
            "POST /api/events HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key + "\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n" + event + "\r\n0\r\n\r\n",
            "POST /api/events HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n"
                + "GET /api/calls HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST /api/events HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: 99999999999999999999\r\nConnection: close\r\n\r\n" + event,
            "POST /api/events HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + event.length() + "\r\nConnection: close\r\n\r\n" + event.substring(0, event.length() / 2),
            "GET /api/calls HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key + "\u0000\r\nConnection: close\r\n\r\n",
            "GET /api/calls HTTP/1.1\r\nHost: x\r\nX-API-Key: \u0000" + key + "\r\nConnection: close\r\n\r\n",
            "GET /api/calls HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key + "\u0007x\r\nConnection: close\r\n\r\n",
            "GET /api/calls HTTP/1.1\r\nHost: x\r\nX-API-Key: ключ\r\nConnection: close\r\n\r\n",
            "\r\n\r\n\r\n",
            "GET /api/calls\r\n\r\n");
        for (String raw : raws) {
            request("broken HTTP framing", Exchange.Request.raw(raw.getBytes(StandardCharsets.UTF_8)), null);
        }
    }
}
