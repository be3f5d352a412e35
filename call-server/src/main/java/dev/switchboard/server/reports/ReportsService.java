package dev.switchboard.server.reports;

import dev.switchboard.core.CallEngine;
import dev.switchboard.core.QueueConfig;
import dev.switchboard.core.rules.Thresholds;
import dev.switchboard.server.http.ApiProblem;
import dev.switchboard.server.http.Auth;
import dev.switchboard.server.http.Json;
import dev.switchboard.server.http.Params;
import dev.switchboard.server.ingest.Ingestor;
import dev.switchboard.server.store.Store;
import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reports built from the audit log, so they are the same before and after a restart and on any
 * node (see docs/presence-and-kpis.md, "Reports", and docs/reports.md).
 *
 * <pre>
 * GET /api/reports/intervals?from=&amp;to=&amp;interval=PT15M|PT30M|PT1H|P1D&amp;queue=&amp;format=json|csv
 * GET /api/reports/agents?from=&amp;to=&amp;format=json|csv
 * </pre>
 *
 * <p>Each request replays the calls whose life overlaps {@code [from, to)} through the state
 * machine and the agents' presence entries; nothing is kept between requests. The center's time
 * zone, its queues and their thresholds are the engine's at the time of the request.
 */
public final class ReportsService implements HttpService {

    private static final MediaType CSV = MediaTypes.create("text", "csv");

    private final ReportSource source;
    private final Ingestor ingestor;
    private final Auth auth;

    public ReportsService(Store store, Ingestor ingestor, Auth auth) {
        this.source = new ReportSource(store);
        this.ingestor = ingestor;
        this.auth = auth;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/intervals", auth.supervisor(Params.only(this::intervals, "from", "to", "interval", "queue", "format")))
            .get("/agents", auth.supervisor(Params.only(this::agents, "from", "to", "format")));
    }

    /** The engine's view of the center, read once per request under its lock. */
    private record Center(ZoneId zone, List<String> queues, long longestWrapUpMs, Function<String, Thresholds> thresholds) {
    }

    private Center center() {
        return ingestor.withEngine(engine -> {
            List<String> queues = engine.queues().all().stream().map(QueueConfig::id).toList();
            long wrap = 0;
            for (String q : queues) {
                wrap = Math.max(wrap, engine.thresholdsFor(q).wrapUpMs());
            }
            return new Center(engine.timeZone(), queues, wrap, thresholdsOf(ingestor));
        });
    }

    /** A queue's thresholds now, asked of the engine once per queue and request. */
    private static Function<String, Thresholds> thresholdsOf(Ingestor ingestor) {
        Map<String, Thresholds> seen = new HashMap<>();
        return queueId -> seen.computeIfAbsent(queueId, q -> ingestor.withEngine((CallEngine e) -> e.thresholdsFor(q)));
    }

    private void intervals(ServerRequest req, ServerResponse res) {
        boolean csv = csv(req);
        String queue = Params.string(req, "queue");
        if (queue != null && (queue.isBlank() || queue.length() > 128)) {
            throw ApiProblem.badRequest("queue", "must be a queue id (1 to 128 characters)");
        }
        Center center = center();
        ReportRange range = ReportRange.of(Params.string(req, "from"), Params.string(req, "to"),
            Params.string(req, "interval"), center.zone());
        IntervalReport report = new IntervalReport(range, center.thresholds(), center.queues(), queue);
        source.forEachCallHistory(range.fromMs(), range.toMs(), history -> CallReplay.replay(history, report));
        if (queue != null && !report.hasQueue(queue)) {
            throw ApiProblem.badRequest("queue", "unknown queue '" + queue + "' (not a queue now, and no call was in it then)");
        }
        send(res, csv, csv ? report.csv() : null, csv ? null : report.json());
    }

    private void agents(ServerRequest req, ServerResponse res) {
        boolean csv = csv(req);
        Center center = center();
        ReportRange range = ReportRange.of(Params.string(req, "from"), Params.string(req, "to"), center.zone());
        AgentReport report = new AgentReport(range, System.currentTimeMillis());
        source.forEachAgent(report::known);
        // a wrap-up that began before from may be ended in it by a call taken before from: read those calls too
        source.forEachCallHistory(range.fromMs() - center.longestWrapUpMs(), range.toMs(),
            history -> CallReplay.replay(history, report));
        source.forEachPresence(range.toMs(), report::presence);
        send(res, csv, csv ? report.csv() : null, csv ? null : report.json());
    }

    /** CSV with {@code format=csv}, or an {@code Accept} that prefers {@code text/csv}; JSON otherwise. */
    private static boolean csv(ServerRequest req) {
        String format = Params.string(req, "format");
        if (format != null) {
            return switch (format) {
                case "csv" -> true;
                case "json" -> false;
                default -> throw ApiProblem.badRequest("format", "must be json or csv, got '" + format + "'");
            };
        }
        if (req.headers().first(HeaderNames.ACCEPT).isEmpty()) {
            return false;
        }
        return req.headers().bestAccepted(MediaTypes.APPLICATION_JSON, CSV).map(CSV::equals).orElse(false);
    }

    private static void send(ServerResponse res, boolean csv, String csvBody, com.fasterxml.jackson.databind.JsonNode json) {
        if (csv) {
            res.header(HeaderNames.CONTENT_TYPE, "text/csv; charset=utf-8");
            res.send(csvBody);
        } else {
            Json.send(res, json);
        }
    }
}
