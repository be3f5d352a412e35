package dev.switchboard.core.metrics;

/**
 * One queue's live figures (a snapshot), or the whole center's ({@code queueId} {@code null}).
 * Counters cover today: the center's day that began at {@code dayStartMs}.
 *
 * <p>The formulas (see docs/presence-and-kpis.md): service level = answered within the SLA ÷
 * (answered + abandoned), abandon rate = abandoned ÷ (answered + abandoned), where abandoned
 * counts callers who hung up while waiting after more than the queue's short-abandon threshold
 * (those sooner are {@code abandonedShort}, counted against nobody).
 *
 * @param waitingNow               calls waiting (queued or ringing) in the queue
 * @param longestWaitMs            the current wait of the longest-waiting call, 0 with none
 * @param offered                  calls that entered the queue (initiated or transferred in)
 * @param answeredWithinSla        answered with a wait at or under the queue's SLA
 * @param serviceLevel             see above, or {@code null} before the first answer or abandon
 * @param averageSpeedOfAnswerMs   mean wait of answered calls, or {@code null} before the first answer
 * @param abandoned                callers who hung up while waiting, past the short-abandon threshold
 * @param abandonedShort           callers who hung up within the short-abandon threshold
 * @param abandonRate              see above, or {@code null} before the first answer or abandon
 * @param slTarget                 the service level the queue aims at (the center: its lowest target)
 * @param handled                  answered calls that ended in the queue
 * @param averageHandleTimeMs      mean talk + hold of the handled calls, or {@code null} before one
 * @param dayStartMs               when today began (midnight in the center's time zone)
 */
public record QueueMetrics(String queueId, int waitingNow, long longestWaitMs, long offered, long answered,
                           long answeredWithinSla, Double serviceLevel, Double averageSpeedOfAnswerMs, long abandoned,
                           long abandonedShort, Double abandonRate, double slTarget, long handled,
                           Double averageHandleTimeMs, long dayStartMs) {

    /** The service level of these counts: {@code null} when nothing was answered or abandoned. */
    public static Double serviceLevel(long answeredWithinSla, long answered, long abandoned) {
        long base = answered + abandoned;
        return base == 0 ? null : (double) answeredWithinSla / base;
    }

    /** The abandon rate of these counts: {@code null} when nothing was answered or abandoned. */
    public static Double abandonRate(long answered, long abandoned) {
        long base = answered + abandoned;
        return base == 0 ? null : (double) abandoned / base;
    }

    /** {@code totalMs / count}, or {@code null} for no count. */
    public static Double average(long totalMs, long count) {
        return count == 0 ? null : (double) totalMs / count;
    }
}
