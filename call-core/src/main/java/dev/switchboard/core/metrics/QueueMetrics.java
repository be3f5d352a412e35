package dev.switchboard.core.metrics;

/**
 * One queue's live figures (a snapshot).
 *
 * @param waitingNow               calls waiting (queued or ringing) in the queue
 * @param longestWaitMs            the current wait of the longest-waiting call, 0 with none
 * @param offered                  calls that entered the queue (initiated or transferred in)
 * @param answeredWithinSla        answered with a wait at or under the queue's SLA
 * @param serviceLevel             answeredWithinSla / answered, or {@code null} before the first answer
 * @param averageSpeedOfAnswerMs   mean wait of answered calls, or {@code null} before the first answer
 * @param abandoned                calls that ended while waiting in this queue
 */
public record QueueMetrics(String queueId, int waitingNow, long longestWaitMs, long offered, long answered,
                           long answeredWithinSla, Double serviceLevel, Double averageSpeedOfAnswerMs, long abandoned) {
}
