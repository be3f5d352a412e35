package dev.switchboard.core.metrics;

import java.util.List;

/**
 * One agent's live figures (a snapshot).
 *
 * @param offered                calls that rang this agent
 * @param missed                 rings not answered (timeouts and retransfers)
 * @param handled                answered calls that have left this agent (ended or transferred)
 * @param talkMs                 time talking, finished segments
 * @param holdMs                 time with a caller on hold, finished segments
 * @param averageHandleTimeMs    (talk + hold) / handled, or {@code null} before the first handled call
 * @param stateSinceMs           when the agent entered {@code state}
 * @param currentCallId          the call ringing or in progress, or {@code null}
 */
public record AgentMetrics(String agentId, List<String> queues, AgentState state, long stateSinceMs,
                           String currentCallId, long offered, long answered, long missed, int consecutiveMisses,
                           long handled, long talkMs, long holdMs, Double averageHandleTimeMs) {
}
