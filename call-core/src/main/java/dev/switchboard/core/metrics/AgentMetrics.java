package dev.switchboard.core.metrics;

import java.util.List;
import java.util.Map;

/**
 * One agent's live figures (a snapshot). Counters and times cover today (the center's day).
 *
 * @param offered                calls that rang this agent
 * @param missed                 rings not answered (timeouts and retransfers)
 * @param handled                answered calls that have left this agent (ended or transferred)
 * @param talkMs                 time talking, finished segments
 * @param holdMs                 time with a caller on hold, finished segments
 * @param averageHandleTimeMs    (talk + hold) / handled, or {@code null} before the first handled call
 * @param stateSinceMs           when the agent entered {@code state}
 * @param currentCallId          the call ringing or in progress, or {@code null}
 * @param presence               whether the agent takes calls
 * @param reason                 why not ready ({@code null} in another presence)
 * @param presenceSinceMs        since when the agent is in {@code presence}
 * @param loggedInSinceMs        since when the agent is logged in, or -1 while logged out
 * @param wrapUpMs               time in wrap-up today, the current one included
 * @param loggedInMs             time logged in today, the current stretch included
 * @param notReadyMs             time not ready today, the current one included
 * @param notReadyByReasonMs     {@code notReadyMs} by reason
 * @param occupancyRatio         (talk + hold + wrap-up) / logged-in time (running segments included),
 *                               or {@code null} without logged-in time
 */
public record AgentMetrics(String agentId, List<String> queues, AgentState state, long stateSinceMs,
                           String currentCallId, long offered, long answered, long missed, int consecutiveMisses,
                           long handled, long talkMs, long holdMs, Double averageHandleTimeMs,
                           Presence presence, String reason, long presenceSinceMs, long loggedInSinceMs,
                           long wrapUpMs, long loggedInMs, long notReadyMs, Map<String, Long> notReadyByReasonMs,
                           Double occupancyRatio) {

    public AgentMetrics {
        queues = List.copyOf(queues);
        notReadyByReasonMs = Map.copyOf(notReadyByReasonMs);
    }
}
