package dev.switchboard.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.call.CallFlag;
import dev.switchboard.core.call.CallStatus;
import dev.switchboard.server.store.Cursor;
import dev.switchboard.server.store.Store;
import dev.switchboard.server.store.StoredEvent;
import dev.switchboard.server.wire.Wire;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Calls and their histories, from the database (the read model written with each commit).
 *
 * <pre>
 * GET /api/calls?status=active,on_hold&amp;queue=…&amp;agent=…&amp;from=…&amp;to=…&amp;flag=review&amp;end_reason=…&amp;q=…
 *               &amp;limit=50&amp;cursor=…                                 newest first
 * GET /api/calls/{id}
 * GET /api/calls/{id}/events                                            in order
 * </pre>
 */
public final class CallsService implements HttpService {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    /** The longest call id (the column's width) and end reason a filter may name. */
    private static final int MAX_ID = 128;
    private static final int MAX_END_REASON = 64;

    private final Store store;
    private final Auth auth;

    public CallsService(Store store, Auth auth) {
        this.store = store;
        this.auth = auth;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", auth.supervisor(Params.only(this::list, "status", "queue", "agent", "from", "to", "flag",
                "end_reason", "q", "limit", "cursor")))
            .get("/{id}", auth.supervisor(Params.only(this::one)))
            .get("/{id}/events", auth.supervisor(Params.only(this::events)));
    }

    private void list(ServerRequest req, ServerResponse res) {
        List<String> statuses = new ArrayList<>();
        for (String value : req.query().all("status", List::of)) {
            for (String s : value.split(",")) {
                if (s.isBlank()) {
                    continue;
                }
                statuses.add(CallStatus.fromWire(s.trim()).orElseThrow(() -> ApiProblem.badRequest("status",
                    "unknown status '" + s.trim() + "' (waiting, active, on_hold, ended)")).wireName());
            }
        }
        int limit = Params.integer(req, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        Cursor cursor = null;
        String cursorParam = Params.string(req, "cursor");
        if (cursorParam != null && !cursorParam.isEmpty()) {
            try {
                cursor = Cursor.decode(cursorParam);
            } catch (IllegalArgumentException e) {
                throw ApiProblem.badRequest("cursor", "is not a cursor this server returned");
            }
        }
        Long from = instant(req, "from");
        Long to = instant(req, "to");
        if (from != null && to != null && to <= from) {
            throw ApiProblem.badRequest("to", "must be after from");
        }
        CallFlag flag = null;
        String flagParam = Params.string(req, "flag");
        if (flagParam != null) {
            try {
                flag = CallFlag.fromWire(flagParam);
                if (!flag.onWire()) {
                    throw new IllegalArgumentException("internal flag");
                }
            } catch (IllegalArgumentException e) {
                throw ApiProblem.badRequest("flag", "unknown flag '" + flagParam + "' ("
                    + java.util.Arrays.stream(CallFlag.values()).filter(CallFlag::onWire).map(CallFlag::wireName).collect(Collectors.joining(", ")) + ")");
            }
        }
        String endReason = Params.string(req, "end_reason");
        if (endReason != null && (endReason.isEmpty() || endReason.length() > MAX_END_REASON)) {
            throw ApiProblem.badRequest("end_reason", "must be 1 to " + MAX_END_REASON + " characters");
        }
        String q = Params.string(req, "q");
        if (q != null && (q.isEmpty() || q.length() > MAX_ID)) {
            throw ApiProblem.badRequest("q", "must be the start of a call id, 1 to " + MAX_ID + " characters");
        }
        Store.CallPage page = store.calls(new Store.CallFilter(statuses, Params.string(req, "queue"), Params.string(req, "agent"),
            from, to, flag, endReason, q), limit, cursor);
        ObjectNode body = Wire.object();
        ArrayNode items = body.putArray("items");
        for (dev.switchboard.core.call.Call call : page.calls()) {
            items.add(Wire.call(call));
        }
        body.put("next_cursor", page.nextCursor());
        Json.send(res, body);
    }

    /** An ISO-8601 instant parameter in epoch ms, or {@code null} when absent. */
    private static Long instant(ServerRequest req, String name) {
        String value = Params.string(req, name);
        if (value == null) {
            return null;
        }
        try {
            return java.time.Instant.parse(value).toEpochMilli();
        } catch (java.time.DateTimeException e) {
            throw ApiProblem.badRequest(name, "must be an ISO-8601 instant such as 2026-12-02T08:00:00Z, got '" + value + "'");
        }
    }

    private void one(ServerRequest req, ServerResponse res) {
        String id = Params.id(req, "call");
        Json.send(res, Wire.call(store.call(id).orElseThrow(() -> ApiProblem.notFound("unknown call '" + id + "'"))));
    }

    private void events(ServerRequest req, ServerResponse res) {
        String id = Params.id(req, "call");
        List<StoredEvent> rows = store.callEvents(id);
        if (rows.isEmpty()) {
            throw ApiProblem.notFound("unknown call '" + id + "'");
        }
        ArrayNode out = Wire.array();
        for (StoredEvent e : rows) {
            out.add(Wire.event(e.id(), e.callId(), e.type(), e.tsMs(), Wire.read(e.metadata()), e.seq()));
        }
        Json.send(res, out);
    }
}
