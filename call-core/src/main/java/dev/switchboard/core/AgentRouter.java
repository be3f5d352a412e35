package dev.switchboard.core;

import dev.switchboard.core.metrics.AgentState;
import dev.switchboard.core.metrics.CenterMetrics;

import java.util.Collection;

/**
 * Picks the agent a call is re-routed to (a port): after a ring timeout or a retransfer.
 */
@FunctionalInterface
public interface AgentRouter {

    /**
     * @param queue    the call's queue
     * @param excluded agents who must not get the call (they already missed it)
     * @param agents   the agents' live state
     * @return the agent to ring next, or {@code null} to leave the call queued
     */
    String nextAgent(QueueConfig queue, Collection<String> excluded, CenterMetrics agents);

    /** Never routes: the calls wait for an external router's {@code call_routed}. */
    static AgentRouter none() {
        return (queue, excluded, agents) -> null;
    }

    /**
     * The available agent of the queue who has been idle longest (fairest spread of calls), not one
     * of the excluded; ties go to the agent listed first.
     */
    static AgentRouter longestIdle() {
        return (queue, excluded, agents) -> {
            String best = null;
            long bestSince = Long.MAX_VALUE;
            for (String agent : queue.agentIds()) {
                if (excluded.contains(agent) || agents.state(agent) != AgentState.AVAILABLE) {
                    continue;
                }
                long since = agents.stateSinceMs(agent);
                if (since < bestSince) {
                    best = agent;
                    bestSince = since;
                }
            }
            return best;
        };
    }
}
