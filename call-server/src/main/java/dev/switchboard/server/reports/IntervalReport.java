package dev.switchboard.server.reports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.CallFlag;
import dev.switchboard.core.call.Phase;
import dev.switchboard.core.rules.Thresholds;
import dev.switchboard.server.wire.Wire;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Per queue and interval: offered, answered (within the SLA), abandoned (short), service level,
 * abandon rate, ASA, AHT and the longest wait, built from call transitions.
 *
 * <p>Each figure is counted in the interval where it happened, with the same rules as the live
 * "today" figures ({@code CenterMetrics#onTransition}), so a whole-day report equals the day's
 * live figures: <em>offered</em> when a call enters a queue (initiated into it, or transferred in
 * from another queue); <em>answered</em> at the answer of a waiting call, its wait the answer's
 * (reported or measured), within the SLA at or under the queue's SLA; <em>abandoned</em> at the
 * end of a call that ended while waiting (not expired), past the queue's short-abandon wait, else
 * <em>abandoned_short</em>; <em>AHT</em> at the end of an answered call, its duration (talk plus
 * hold) in the queue it ended in. The longest wait is the longest of the calls answered or
 * abandoned (short or not) in the interval.
 *
 * <p>The thresholds are the queues' current ones: a report of last month after the SLA changed is
 * measured against today's SLA (the log does not say what the SLA was then).
 *
 * <p>NOT thread safe: one per request.
 */
final class IntervalReport implements CallReplay.Sink {

    /** The JSON and CSV columns, in order. */
    static final List<String> COLUMNS = List.of("start", "end", "queue_id", "offered", "answered", "answered_within_sla",
        "abandoned", "abandoned_short", "service_level", "abandon_rate", "asa", "aht", "longest_wait");

    private final ReportRange range;
    private final Function<String, Thresholds> thresholds;
    /** The one queue asked for, or {@code null} for all. */
    private final String onlyQueue;
    /** Counters of the center's queues, in the center's order, one per interval. */
    private final Map<String, Counts[]> queues = new LinkedHashMap<>();
    /** Counters of queues the center no longer has (deleted since), by id. */
    private final Map<String, Counts[]> gone = new TreeMap<>();

    /**
     * @param knownQueues queues listed even with nothing in them, in this order (the center's queues now)
     * @param onlyQueue   the one queue to report, or {@code null} for all
     */
    IntervalReport(ReportRange range, Function<String, Thresholds> thresholds, Collection<String> knownQueues,
                   String onlyQueue) {
        this.range = range;
        this.thresholds = thresholds;
        this.onlyQueue = onlyQueue;
        for (String q : knownQueues) {
            queues.put(q, new Counts[range.intervals()]);
        }
    }

    /** Whether the report has rows for {@code queueId} (known now, or something happened in it). */
    boolean hasQueue(String queueId) {
        return queues.containsKey(queueId) || gone.containsKey(queueId);
    }

    @Override
    public void transition(Call before, Call after, long atMs, long seq) {
        int i = range.indexOf(atMs);
        if (i < 0) {
            return;   // outside [from, to): the state only
        }
        if (before == null) {
            count(after.queueId(), i).offered++;
            return;
        }
        if (before.phase().isWaiting() && !after.phase().isWaiting()) {
            Thresholds th = thresholds.apply(before.queueId());
            if (after.phase() == Phase.ACTIVE) {
                Counts c = count(before.queueId(), i);
                c.answered++;
                c.answerWaitMs += after.waitMs();
                if (after.waitMs() <= th.slaMaxWaitMs()) {
                    c.answeredWithinSla++;
                }
                c.longestWaitMs = Math.max(c.longestWaitMs, after.waitMs());
            } else if (after.has(CallFlag.ABANDONED)) {
                Counts c = count(before.queueId(), i);
                long waited = Math.max(0, atMs - before.waitStartMs());
                if (waited > th.shortAbandonMs()) {
                    c.abandoned++;
                } else {
                    c.abandonedShort++;
                }
                c.longestWaitMs = Math.max(c.longestWaitMs, waited);
            }
        } else if (!before.phase().isWaiting() && after.phase().isWaiting()
            && !after.queueId().equals(before.queueId())) {
            count(after.queueId(), i).offered++;
        }
        if (after.phase() == Phase.ENDED && (before.phase() == Phase.ACTIVE || before.phase() == Phase.ON_HOLD)) {
            Counts c = count(before.queueId(), i);
            c.handled++;
            c.handleMs += Math.max(0, after.durationMs());
        }
    }

    /**
     * {@code {"items": [...]}}: every interval of every queue, in time order then queue order (the
     * center's queues as it lists them, then any queue deleted since that had a figure, by id).
     */
    ObjectNode json() {
        ObjectNode body = Wire.object();
        ArrayNode items = body.putArray("items");
        forEachRow(items::add);
        return body;
    }

    /** The rows as CSV (a header with the JSON field names). */
    String csv() {
        Csv csv = new Csv(COLUMNS);
        forEachRow(csv::row);
        return csv.toString();
    }

    private void forEachRow(java.util.function.Consumer<ObjectNode> out) {
        for (int i = 0; i < range.intervals(); i++) {
            for (Map.Entry<String, Counts[]> q : ordered()) {
                if (onlyQueue != null && !onlyQueue.equals(q.getKey())) {
                    continue;
                }
                Counts c = q.getValue()[i];
                ObjectNode n = Wire.object();
                n.put("start", Instant.ofEpochMilli(range.boundaries()[i]).toString());
                n.put("end", Instant.ofEpochMilli(range.boundaries()[i + 1]).toString());
                n.put("queue_id", q.getKey());
                long answered = c == null ? 0 : c.answered;
                long abandoned = c == null ? 0 : c.abandoned;
                n.put("offered", c == null ? 0 : c.offered);
                n.put("answered", answered);
                n.put("answered_within_sla", c == null ? 0 : c.answeredWithinSla);
                n.put("abandoned", abandoned);
                n.put("abandoned_short", c == null ? 0 : c.abandonedShort);
                n.put("service_level", c == null ? null : ratio(c.answeredWithinSla, answered + abandoned));
                n.put("abandon_rate", c == null ? null : ratio(abandoned, answered + abandoned));
                n.put("asa", c == null ? null : averageSeconds(c.answerWaitMs, answered));
                n.put("aht", c == null ? null : averageSeconds(c.handleMs, c.handled));
                n.put("longest_wait", c == null ? 0.0 : c.longestWaitMs / 1000.0);
                out.accept(n);
            }
        }
    }

    /** {@code part / whole} to 3 decimals (as the contract shows it: 0.818), {@code null} for no whole. */
    static Double ratio(long part, long whole) {
        return whole == 0 ? null : Math.round(part * 1000.0 / whole) / 1000.0;
    }

    /** The mean in seconds (to the millisecond), {@code null} with nothing to average. */
    static Double averageSeconds(long totalMs, long count) {
        return count == 0 ? null : Math.round((double) totalMs / count) / 1000.0;
    }

    private List<Map.Entry<String, Counts[]>> ordered() {
        List<Map.Entry<String, Counts[]>> all = new java.util.ArrayList<>(queues.entrySet());
        all.addAll(gone.entrySet());
        return all;
    }

    private Counts count(String queueId, int interval) {
        Counts[] row = counts(queueId);
        if (row[interval] == null) {
            row[interval] = new Counts();
        }
        return row[interval];
    }

    private Counts[] counts(String queueId) {
        Counts[] row = queues.get(queueId);
        return row != null ? row : gone.computeIfAbsent(queueId, q -> new Counts[range.intervals()]);
    }

    /** One queue's counters in one interval. */
    private static final class Counts {
        long offered;
        long answered;
        long answeredWithinSla;
        long answerWaitMs;
        long abandoned;
        long abandonedShort;
        long handled;
        long handleMs;
        long longestWaitMs;
    }
}
