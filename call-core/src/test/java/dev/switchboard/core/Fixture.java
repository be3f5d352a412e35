package dev.switchboard.core;

import dev.switchboard.core.call.CallEvent;
import dev.switchboard.core.call.CallType;
import dev.switchboard.core.rules.Effect;
import dev.switchboard.core.rules.Thresholds;
import dev.switchboard.core.time.ManualClock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** An engine on a virtual clock with two queues, and short-hands for events. */
public final class Fixture {

    public static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    public static final String SPANISH = "medical_spanish";
    public static final String ENGLISH = "medical_english";

    public final ManualClock clock = new ManualClock(T0);
    public final List<Effect> effects = new ArrayList<>();
    public final CallEngine engine;
    private int seq;

    public Fixture() {
        this(Thresholds.DEFAULTS);
    }

    public Fixture(Thresholds thresholds) {
        this(thresholds, AgentRouter.longestIdle());
    }

    public Fixture(Thresholds thresholds, AgentRouter router) {
        engine = CallEngine.builder()
            .clock(clock)
            .thresholds(thresholds)
            .router(router)
            .queues(QueueDirectory.of(List.of(
                new QueueConfig(SPANISH, List.of("ana", "bea", "carla")),
                new QueueConfig(ENGLISH, ENGLISH, List.of("dan"), thresholds.withSlaMaxWait(Duration.ofSeconds(20))))))
            .listener(effects::add)
            .build();
    }

    public Fixture advance(double seconds) {
        clock.advanceMs(Math.round(seconds * 1000));
        return this;
    }

    /** Advances and fires due timers. */
    public List<Effect> tick(double seconds) {
        advance(seconds);
        return engine.advance();
    }

    private String id() {
        return "e" + (++seq);
    }

    public Decision initiated(String call, String queue) {
        return engine.handle(new CallEvent.CallInitiated(id(), call, null, CallType.VOICE, queue));
    }

    public Decision routed(String call, String agent) {
        return engine.handle(new CallEvent.CallRouted(id(), call, null, agent, null));
    }

    public Decision retransfer(String call) {
        return engine.handle(new CallEvent.CallRetransfer(id(), call, null, null));
    }

    public Decision answered(String call) {
        return engine.handle(new CallEvent.CallAnswered(id(), call, null, null));
    }

    public Decision hold(String call) {
        return engine.handle(new CallEvent.CallHold(id(), call, null, null));
    }

    public Decision resumed(String call) {
        return engine.handle(new CallEvent.CallResumed(id(), call, null));
    }

    public Decision transferredToQueue(String call, String queue) {
        return engine.handle(new CallEvent.CallTransferred(id(), call, null, queue, null));
    }

    public Decision transferredToAgent(String call, String agent) {
        return engine.handle(new CallEvent.CallTransferred(id(), call, null, null, agent));
    }

    public Decision ended(String call, String reason) {
        return engine.handle(new CallEvent.CallEnded(id(), call, null, reason, null));
    }

    public static Decision.Accepted accepted(Decision d) {
        if (d instanceof Decision.Accepted a) {
            return a;
        }
        throw new AssertionError("expected accepted, got " + d);
    }

    public static Decision.Rejected rejected(Decision d) {
        if (d instanceof Decision.Rejected r) {
            return r;
        }
        throw new AssertionError("expected rejected, got " + d);
    }

    public <T extends Effect> List<T> effectsOf(Class<T> type) {
        return effects.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
