package dev.switchboard.core;

import dev.switchboard.core.call.Call;
import dev.switchboard.core.metrics.CenterMetrics;

import java.util.List;

/**
 * What an engine needs to carry on where another left off (see {@link CallEngine#state()} and
 * {@link CallEngine#restore}): the live calls, every agent's figures and state, every queue's
 * counters, and the day those counters are of ({@code dayStartMs}, {@link Long#MIN_VALUE} before any).
 * Timers are not part of it: they follow from the live calls.
 */
public record EngineState(List<Call> liveCalls, List<CenterMetrics.AgentRecord> agents,
                          List<CenterMetrics.QueueCounters> queues, long dayStartMs) {

    public EngineState {
        liveCalls = List.copyOf(liveCalls);
        agents = List.copyOf(agents);
        queues = List.copyOf(queues);
    }
}
