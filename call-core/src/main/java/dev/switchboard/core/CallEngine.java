package dev.switchboard.core;

import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.CallEvent;
import dev.switchboard.core.call.CallFlag;
import dev.switchboard.core.call.CallStateMachine;
import dev.switchboard.core.call.Phase;
import dev.switchboard.core.metrics.AgentMetrics;
import dev.switchboard.core.metrics.CenterMetrics;
import dev.switchboard.core.metrics.Presence;
import dev.switchboard.core.metrics.QueueMetrics;
import dev.switchboard.core.rules.AlertKind;
import dev.switchboard.core.rules.Alert;
import dev.switchboard.core.rules.Effect;
import dev.switchboard.core.rules.Rule;
import dev.switchboard.core.rules.RuleContext;
import dev.switchboard.core.rules.Rules;
import dev.switchboard.core.rules.Thresholds;
import dev.switchboard.core.rules.TimedRule;
import dev.switchboard.core.rules.TimerKind;
import dev.switchboard.core.time.Clock;
import dev.switchboard.core.time.DeadlineTimerWheel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The call lifecycle engine: the one facade an embedding application uses.
 *
 * <p><b>What it does.</b> Each event goes through the {@link CallStateMachine} (rejected with a
 * reason naming the call's state if it may not follow), then through the rules (alerts, flags,
 * re-routing, survey requests); the outcome is a {@link Decision}. Live timers (SLA, ring timeout,
 * hold) sit in a {@link DeadlineTimerWheel} and are <em>derived from call state</em>: after every
 * applied decision the engine asks each {@link TimedRule} for its deadline, so timers can be
 * rebuilt from stored calls after a restart ({@link #armTimers()}), and a timer that fires for a
 * call that has moved on does nothing.
 *
 * <p><b>Two steps or one.</b> {@link #evaluate} decides without changing anything;
 * {@link #apply} makes a decision true (state, metrics, timers, listeners). A host that must
 * commit durably before state changes (call-server) commits between the two; others use
 * {@link #handle}. Timers work the same way: {@link #pollTimers} reports due timers,
 * {@link #evaluateTimer} decides; or {@link #advance} does it all.
 *
 * <p><b>Time.</b> Only the injected {@link Clock} is read. An event's own timestamp (the source's
 * clock) is its effective time, clamped so that it is never after the engine's clock and never
 * before the call's last event: a late (out-of-order) event is applied in arrival order, at the
 * time of the call's last event, and its decision is marked {@code late}. Durations therefore
 * never go negative and the call's history stays in order.
 *
 * <p><b>Presence and offers.</b> Agents have a {@link Presence} apart from their calls
 * ({@link #setPresence}); after an answered call an available agent is in wrap-up for the queue's
 * {@link Thresholds#wrapUp()} (a {@link Effect.WrapUpStarted} of the decision), available again by
 * itself at its end. When an agent becomes available (presence, end of wrap-up, a call leaving
 * them), the longest-waiting <em>system-routed</em> call of their queues (queued after a re-route
 * found nobody free: it has missed agents) gets an {@link TimerKind#OFFER} timer due at once, whose
 * decision routes it to the router's pick (a system {@code call_routed}); so the offer is decided,
 * committed and applied like any timer's.
 *
 * <p><b>Today.</b> The figures cover the center's day in its time zone ({@link Builder#timeZone}).
 *
 * <p><b>Memory.</b> Live calls are kept; ended calls are retained for a while (the most recent
 * {@code retainEndedCalls}) so late events for them are refused as illegal, not unknown.
 *
 * <p><b>NOT thread safe.</b> One thread at a time (hosts guard it with a lock or a single thread).
 */
public final class CallEngine {

    /**
     * Wheel tick: 10 ms. Timers fire on their exact deadline whatever the tick; the tick is the
     * scan granularity, so 10 ms keeps each poll's scan small at thousands of live calls.
     */
    public static final long DEFAULT_TICK_MS = 10;

    /** 8192 ticks of 10 ms: one revolution (82 s) holds every default timer (30 s, 15 s, 60 s). */
    public static final int DEFAULT_TICKS_PER_WHEEL = 8192;

    /** Ended calls kept in memory to answer late events about them. */
    public static final int DEFAULT_RETAINED_ENDED_CALLS = 10_000;

    private static final int KIND_BITS = 8;
    private static final int TIMER_KINDS = TimerKind.values().length;
    private static final long NO_TIMER = -1;
    private static final int INITIAL_HANDLES = 1024;

    private final Clock clock;
    private final QueueDirectory queues = new QueueDirectory() {
        @Override
        public Optional<QueueConfig> find(String queueId) {
            return Optional.ofNullable(queueById.get(queueId));
        }

        @Override
        public Collection<QueueConfig> all() {
            return List.copyOf(queueById.values());
        }

        @Override
        public boolean exists(String queueId) {
            return queueById.containsKey(queueId);
        }
    };
    private final AgentRouter router;
    private final Thresholds defaults;
    private final List<Rule> rules;
    private final TimedRule[] timedRules = new TimedRule[TimerKind.values().length];
    private final List<EffectListener> listeners;
    private final DeadlineTimerWheel wheel;
    private final CenterMetrics metrics;
    /** Queues by id: the directory's at build, then changed by {@link #putQueue} and {@link #removeQueue}. */
    private final Map<String, QueueConfig> queueById = new LinkedHashMap<>();
    /** Per queue, its queued system-routed calls by wait start (then id): the calls offered to agents who free up. */
    private final Map<String, TreeSet<Awaiting>> awaiting = new HashMap<>();

    private final Map<String, LiveCall> live = new HashMap<>();
    private final Map<String, Thresholds> thresholdCache = new HashMap<>();
    private final Map<String, Call> ended;
    private LiveCall[] handles = new LiveCall[INITIAL_HANDLES];
    private int[] freeHandles = new int[INITIAL_HANDLES];
    private int freeTop;
    private int handleHighWater;

    private CallEngine(Builder b) {
        this.clock = b.clock;
        for (QueueConfig q : b.queues.all()) {
            queueById.put(q.id(), q);
        }
        this.router = b.router;
        this.defaults = b.defaults;
        this.rules = List.copyOf(b.rules);
        for (Rule r : rules) {
            if (r instanceof TimedRule t) {
                if (timedRules[t.timer().ordinal()] != null) {
                    throw new IllegalArgumentException("two rules own timer " + t.timer());
                }
                timedRules[t.timer().ordinal()] = t;
            }
        }
        this.listeners = List.copyOf(b.listeners);
        long now = clock.nowMs();
        this.wheel = new DeadlineTimerWheel(now, b.tickMs, b.ticksPerWheel);
        this.metrics = new CenterMetrics(this::thresholdsFor, b.zone);
        int retain = b.retainEndedCalls;
        this.ended = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Call> eldest) {
                return size() > retain;
            }
        };
        // configured agents are logged in and available since before anything this engine saw: not
        // since its start, so that an engine rebuilt from the log equals the one that lived it
        for (QueueConfig q : queueById.values()) {
            metrics.registerQueue(q.id());
            for (String agent : q.agentIds()) {
                metrics.registerAgent(agent, q.id(), CenterMetrics.NONE);
            }
        }
        metrics.drainFreed();
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- events

    /** Decides what {@code event} does, changing nothing. */
    public Decision evaluate(CallEvent event) {
        Objects.requireNonNull(event, "event");
        return evaluateFrom(find(event.callId()), event);
    }

    /**
     * Decides what {@code event} does to its call once {@code pending} (a decision of the same call
     * not yet applied) is applied, changing nothing: a host that commits decisions before applying
     * them can decide a call's next events without waiting for the commit of the previous one. The
     * decision is the one {@link #evaluate} makes after {@code apply(pending)}, for an event that is
     * {@linkplain #chainable chainable}; it may only be applied after {@code pending}.
     *
     * @throws IllegalArgumentException if the event is of another call, or not chainable
     */
    public Decision evaluateAfter(Decision.Accepted pending, CallEvent event) {
        Objects.requireNonNull(event, "event");
        if (!pending.after().id().equals(event.callId())) {
            throw new IllegalArgumentException("event of call '" + event.callId() + "' after a decision of call '"
                + pending.after().id() + "'");
        }
        if (!chainable(event)) {
            throw new IllegalArgumentException(event.type().wireName() + " reads the agents' state: evaluate it "
                + "once the decisions before it are applied");
        }
        return evaluateFrom(pending.after(), event);
    }

    /**
     * Whether {@link #evaluateAfter} can decide {@code event}: its decision depends on its call
     * alone. A {@code call_retransfer} is not: its re-routing reads the agents' state (who is free,
     * who missed how often), which the decisions before it change when applied.
     */
    public static boolean chainable(CallEvent event) {
        return !(event instanceof CallEvent.CallRetransfer);
    }

    private Decision evaluateFrom(Call current, CallEvent event) {
        long now = clock.nowMs();
        long at = effectiveMs(event.timestamp(), now);
        boolean late = false;
        if (current != null && at < current.lastEventMs()) {
            at = current.lastEventMs();
            late = true;
        }
        return switch (CallStateMachine.apply(current, event, at, queues::exists)) {
            case CallStateMachine.Transition.Rejected r -> new Decision.Rejected(event, r.rejection());
            case CallStateMachine.Transition.Accepted a -> {
                Evaluation ev = new Evaluation(a.call(), at);
                Effect.Transitioned t = new Effect.Transitioned(event, current, a.call(), at, false);
                ev.effects.add(t);
                for (Rule rule : rules) {
                    rule.onTransition(ev, t);
                }
                wrapUps(ev);
                resolutions(ev);
                yield new Decision.Accepted(event, current, ev.call, at, late, ev.effects);
            }
        };
    }

    /** The source's time clamped to [epoch, now], without overflow for absurd instants. */
    private static long effectiveMs(java.time.Instant ts, long nowMs) {
        if (ts == null || ts.isAfter(java.time.Instant.ofEpochMilli(nowMs))) {
            return nowMs;
        }
        return ts.isBefore(java.time.Instant.EPOCH) ? 0 : ts.toEpochMilli();
    }

    /** Evaluates and applies {@code event}: for hosts that need no commit in between. */
    public Decision handle(CallEvent event) {
        Decision d = evaluate(event);
        if (d instanceof Decision.Accepted a) {
            apply(a);
        }
        return d;
    }

    /**
     * Makes a decision true: call state, metrics, timers, then listeners.
     *
     * @throws IllegalStateException if the call changed since the decision was evaluated
     */
    public void apply(Decision.Accepted d) {
        if (d.isEmpty()) {
            return;
        }
        Call after = d.after();
        String id = after.id();
        LiveCall lc = live.get(id);
        Call current = lc != null ? lc.call : ended.get(id);
        if (current != d.before()) {
            throw new IllegalStateException("stale decision for call '" + id + "': the call changed after it was evaluated");
        }
        for (Effect e : d.effects()) {
            count(e);
        }
        store(lc, after, true);
        offerToFreed();
        for (Effect e : d.effects()) {
            for (EffectListener l : listeners) {
                l.onEffect(e);
            }
        }
    }

    /**
     * Adds a wrap-up for each agent an answered call leaves in the evaluation (ended, transferred
     * away, back to the queue), if the queue has a wrap-up time and the agent is available.
     */
    private void wrapUps(Evaluation ev) {
        for (int i = 0, n = ev.effects.size(); i < n; i++) {
            if (ev.effects.get(i) instanceof Effect.Transitioned t && t.before() != null) {
                Call before = t.before();
                Call after = t.after();
                boolean answered = (before.phase() == Phase.ACTIVE || before.phase() == Phase.ON_HOLD)
                    && before.agentId() != null;
                if (answered && (after.phase() == Phase.ENDED || !before.agentId().equals(after.agentId()))) {
                    long wrapMs = thresholdsFor(before.queueId()).wrapUpMs();
                    if (wrapMs > 0 && metrics.presence(before.agentId()) == Presence.AVAILABLE) {
                        ev.effects.add(new Effect.WrapUpStarted(before.id(), t.atMs(), before.agentId(), t.atMs() + wrapMs));
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- timers

    /** Receives a due timer from {@link #pollTimers}. */
    @FunctionalInterface
    public interface DueTimer {
        void due(String callId, TimerKind kind);
    }

    /**
     * Reports the timers due at the clock's now (at most {@code limit}); each is reported once and
     * leaves the wheel. Evaluate each with {@link #evaluateTimer}.
     *
     * @return how many were due
     */
    public int pollTimers(DueTimer due, int limit) {
        long nowMs = clock.nowMs();
        if (metrics.nextWrapUpEndMs() != CenterMetrics.NONE && metrics.nextWrapUpEndMs() <= nowMs) {
            metrics.settleWrapUps(nowMs);
            offerToFreed();
        }
        List<LiveCall> calls = new ArrayList<>();
        List<TimerKind> kinds = new ArrayList<>();
        int n = wheel.poll(nowMs, (timerId, deadlineMs, payload) -> {
            int handle = (int) (payload >>> KIND_BITS);
            int kind = (int) (payload & ((1 << KIND_BITS) - 1));
            LiveCall lc = handle < handleHighWater ? handles[handle] : null;
            if (lc != null && lc.timerIds[kind] == timerId) {
                lc.timerIds[kind] = NO_TIMER;
                lc.deadlines[kind] = Call.NONE;
                calls.add(lc);
                kinds.add(TimerKind.values()[kind]);
            }
            return true;
        }, limit);
        for (int i = 0; i < calls.size(); i++) {
            due.due(calls.get(i).call.id(), kinds.get(i));
        }
        return n;
    }

    /**
     * Decides what a due timer does now. If the call's state no longer calls for it (the call moved
     * on, or its deadline is not reached) the decision is empty.
     */
    public Decision.Accepted evaluateTimer(String callId, TimerKind kind) {
        LiveCall lc = live.get(callId);
        Call call = lc != null ? lc.call : ended.get(callId);
        long now = clock.nowMs();
        if (lc == null) {
            return new Decision.Accepted(null, call, call, now, false, List.of());
        }
        if (kind == TimerKind.OFFER) {
            return evaluateOffer(call, now);
        }
        TimedRule rule = timedRules[kind.ordinal()];
        long deadline = rule == null ? Call.NONE : rule.deadlineMs(call, thresholdsFor(call.queueId()));
        if (deadline == Call.NONE || deadline > now) {
            return new Decision.Accepted(null, call, call, now, false, List.of());
        }
        long at = Math.max(now, call.lastEventMs());
        Evaluation ev = new Evaluation(call, at);
        rule.onDeadline(ev);
        wrapUps(ev);
        resolutions(ev);
        return new Decision.Accepted(null, call, ev.call, at, false, ev.effects);
    }

    /**
     * Resolves each alert of the call that no longer applies once the evaluation is done: raised
     * (its flag set), not resolved yet, and its situation over in the call as the evaluation
     * leaves it ({@link AlertKind#stillApplies}). Judged on the final state, so a decision that
     * raises and ends at once (a timer's idle expiry) resolves in the same decision, after the raise.
     * Deterministic: the call's flags and phase, and the evaluation's time.
     */
    private static void resolutions(Evaluation ev) {
        for (AlertKind kind : RESOLVING_KINDS) {
            Call c = ev.call;
            if (c.has(kind.flag()) && !c.has(kind.resolvedFlag()) && !kind.stillApplies(c)) {
                ev.call = c.toBuilder().flag(kind.resolvedFlag()).buildSameVersion();
                ev.effects.add(new Effect.AlertResolved(Alert.idFor(c.id(), kind), kind, c.id(), c.queueId(), ev.at,
                    resolutionReason(kind, c)));
            }
        }
    }

    private static final AlertKind[] RESOLVING_KINDS = java.util.Arrays.stream(AlertKind.values())
        .filter(AlertKind::resolvesItself).toArray(AlertKind[]::new);

    /** What the call did that ended the alert's situation. */
    private static String resolutionReason(AlertKind kind, Call c) {
        if (c.phase() == Phase.ENDED) {
            return "ended";
        }
        if (kind == AlertKind.SLA_BREACH) {
            return "answered";
        }
        return c.phase() == Phase.ACTIVE ? "resumed" : "transferred";
    }

    /** An offer: the call, still queued for the system's routing, goes to the router's pick, if any. */
    private Decision.Accepted evaluateOffer(Call call, long now) {
        long at = Math.max(now, call.lastEventMs());
        if (!systemRouted(call)) {
            return new Decision.Accepted(null, call, call, now, false, List.of());
        }
        Evaluation ev = new Evaluation(call, at);
        String next = ev.nextAgent();
        if (next != null) {
            ev.transition(new CallEvent.CallRouted(ev.systemEventId(), call.id(), java.time.Instant.ofEpochMilli(at),
                next, null));
        }
        return new Decision.Accepted(null, call, ev.call, at, false, ev.effects);
    }

    /** A live call queued for the system's routing: a re-route found nobody free (it has missed agents). */
    private static boolean systemRouted(Call call) {
        return call.phase() == Phase.QUEUED && !call.missedAgents().isEmpty();
    }

    /**
     * For each agent who became available, the longest-waiting system-routed call of their queues
     * that they did not miss and that has no offer pending gets an offer due now.
     */
    private void offerToFreed() {
        offer(metrics.drainFreed());
    }

    private void offer(List<String> agents) {
        for (String agent : agents) {
            if (metrics.state(agent) != dev.switchboard.core.metrics.AgentState.AVAILABLE) {
                continue;
            }
            LiveCall best = null;
            Awaiting bestKey = null;
            for (String queueId : metrics.queuesOf(agent)) {
                TreeSet<Awaiting> set = awaiting.get(queueId);
                if (set == null) {
                    continue;
                }
                for (Awaiting w : set) {
                    if (bestKey != null && w.compareTo(bestKey) >= 0) {
                        break;
                    }
                    LiveCall lc = live.get(w.callId());
                    if (lc != null && lc.timerIds[TimerKind.OFFER.ordinal()] == NO_TIMER
                        && !lc.call.missedAgents().contains(agent)) {
                        best = lc;
                        bestKey = w;
                        break;
                    }
                }
            }
            if (best != null) {
                int k = TimerKind.OFFER.ordinal();
                long now = clock.nowMs();
                best.deadlines[k] = now;
                best.timerIds[k] = wheel.schedule(now, ((long) best.handle << KIND_BITS) | k);
            }
        }
    }

    /**
     * Fires every due timer: poll, evaluate, apply.
     *
     * @return the effects, in order
     */
    public List<Effect> advance() {
        List<String> ids = new ArrayList<>();
        List<TimerKind> kinds = new ArrayList<>();
        pollTimers((id, kind) -> {
            ids.add(id);
            kinds.add(kind);
        }, Integer.MAX_VALUE);
        List<Effect> effects = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Decision.Accepted d = evaluateTimer(ids.get(i), kinds.get(i));
            apply(d);
            effects.addAll(d.effects());
        }
        return effects;
    }

    /** Re-derives a call's timers from its state (e.g. after a host failed to commit a timer's decision). */
    public void rearm(String callId) {
        LiveCall lc = live.get(callId);
        if (lc != null) {
            reconcileTimers(lc);
        }
    }

    /** Pending timers (all calls). */
    public long pendingTimers() {
        return wheel.timerCount();
    }

    /** The deadline of a call's pending timer of {@code kind}, if any. */
    public Optional<Long> timerDeadline(String callId, TimerKind kind) {
        LiveCall lc = live.get(callId);
        if (lc == null || lc.timerIds[kind.ordinal()] == NO_TIMER) {
            return Optional.empty();
        }
        return Optional.of(lc.deadlines[kind.ordinal()]);
    }

    // ---------------------------------------------------------------- restart

    /**
     * Re-applies one transition from a stored history, at its recorded effective time: state and
     * metrics only, no rules, no timers. Replay a whole history in order, then call
     * {@link #armTimers()}.
     *
     * @throws IllegalStateException if the history does not fit the state machine
     */
    public void replay(CallEvent event, long atMs) {
        Call current = find(event.callId());
        switch (CallStateMachine.apply(current, event, atMs, q -> true)) {
            case CallStateMachine.Transition.Rejected r ->
                throw new IllegalStateException("history does not replay: " + r.rejection().message());
            case CallStateMachine.Transition.Accepted a -> {
                metrics.onTransition(new Effect.Transitioned(event, current, a.call(), atMs, false));
                store(live.get(event.callId()), a.call(), false);
            }
        }
    }

    /** Re-applies a recorded flag (an alert raised, a review, a survey request) of a stored history. */
    public void replayFlag(String callId, CallFlag flag) {
        LiveCall lc = live.get(callId);
        Call call = lc != null ? lc.call : ended.get(callId);
        if (call == null) {
            throw new IllegalStateException("history does not replay: flag " + flag + " for unknown call " + callId);
        }
        store(lc, call.toBuilder().flag(flag).buildSameVersion(), false);
    }

    /** Re-applies a recorded auto-break of an agent. */
    public void replayAgentOnBreak(String agentId, long atMs) {
        metrics.setOnBreak(agentId, atMs);
    }

    /** Re-applies a recorded "set available" of an agent (a supervisor's action). */
    public void replayAgentAvailable(String agentId, long atMs) {
        metrics.setAvailable(agentId, atMs);
    }

    /**
     * Re-applies a recorded presence change of an agent: a wrap-up (with its end, {@code untilMs})
     * or a change set by the agent or a supervisor.
     */
    public void replayPresence(String agentId, Presence presence, String reason, long atMs, long untilMs) {
        if (presence == Presence.WRAP_UP) {
            metrics.startWrapUp(agentId, atMs, untilMs);
        } else {
            metrics.setPresence(agentId, presence, reason, atMs);
        }
    }

    /**
     * What a host keeps so that a start need not replay the whole history: the live calls (their
     * timers follow from them) and the figures. Ended calls are not part of it. Costs a copy of
     * the live calls' references and of the agents' and queues' counters: take it under the
     * host's lock, encode it outside.
     */
    public EngineState state() {
        List<Call> calls = new ArrayList<>(live.size());
        for (LiveCall lc : live.values()) {
            calls.add(lc.call);
        }
        return new EngineState(calls, metrics.exportAgents(), metrics.exportQueues(), metrics.dayStartMs());
    }

    /**
     * Takes over a state from {@link #state()} into this fresh engine (no call seen yet), then
     * replay the history entries after it and {@link #armTimers()}: the result equals a replay of
     * the whole history (but for ended calls, which are not retained).
     *
     * @throws IllegalStateException if the engine has already seen calls
     */
    public void restore(EngineState state) {
        if (!live.isEmpty() || !ended.isEmpty()) {
            throw new IllegalStateException("restore needs a fresh engine");
        }
        for (Call c : state.liveCalls()) {
            if (!c.isLive()) {
                throw new IllegalArgumentException("restore: call '" + c.id() + "' is ended");
            }
            store(null, c, false);
        }
        metrics.restore(state.agents(), state.queues(), state.liveCalls(), state.dayStartMs());
    }

    /** Arms the timers of every live call from its state; deadlines already passed fire at the next poll. */
    public void armTimers() {
        for (LiveCall lc : live.values()) {
            reconcileTimers(lc);
        }
        metrics.settleWrapUps(clock.nowMs());
        metrics.drainFreed();
        offer(metrics.availableAgents());
    }

    // ---------------------------------------------------------------- agents and reads

    /** Brings an agent back from break (or marks a new one available), now. */
    public void setAgentAvailable(String agentId) {
        setAgentAvailable(agentId, clock.nowMs());
    }

    /** Brings an agent back from break at {@code atMs} (a host that logged the action first). */
    public void setAgentAvailable(String agentId, long atMs) {
        setPresence(agentId, Presence.AVAILABLE, null, atMs);
    }

    /**
     * Sets an agent's presence at {@code atMs} (registering an agent not known); an agent who
     * becomes available is offered the longest-waiting system-routed call of their queues (an
     * {@link TimerKind#OFFER} timer due now). {@link Presence#WRAP_UP} is the engine's own: not set here.
     *
     * @param reason why not ready (for {@link Presence#NOT_READY}; {@code null} gives "not_ready")
     * @return whether anything changed
     * @throws IllegalArgumentException for {@link Presence#WRAP_UP}
     */
    public boolean setPresence(String agentId, Presence presence, String reason, long atMs) {
        Objects.requireNonNull(agentId, "agentId");
        if (presence == Presence.WRAP_UP) {
            throw new IllegalArgumentException("wrap-up follows a call: it is not set");
        }
        boolean changed = metrics.setPresence(agentId, presence, reason, atMs);
        offerToFreed();
        return changed;
    }

    // ---------------------------------------------------------------- queues at runtime

    /**
     * Creates or changes a queue, effective at once: its thresholds for every later decision and
     * timer (timers already armed keep their deadlines until the call's next change), its members
     * as routing candidates (agents added are registered; available ones are offered waiting calls).
     */
    public void putQueue(QueueConfig q, long atMs) {
        QueueConfig old = queueById.put(q.id(), q);
        thresholdCache.remove(q.id());
        metrics.registerQueue(q.id());
        if (old != null) {
            for (String agent : old.agentIds()) {
                if (!q.agentIds().contains(agent)) {
                    metrics.leaveQueue(agent, q.id());
                }
            }
        }
        for (String agent : q.agentIds()) {
            metrics.registerAgent(agent, q.id(), atMs);
        }
        metrics.drainFreed();
        offer(q.agentIds());
    }

    /**
     * Removes a queue. A host removes only a queue without live calls ({@link #liveCallsIn}); a call
     * that entered it meanwhile (decided before the removal was applied) carries on with the
     * default thresholds and counts in no queue's figures; new calls into it are refused.
     */
    public void removeQueue(String queueId) {
        queueById.remove(queueId);
        thresholdCache.remove(queueId);
        metrics.removeQueue(queueId);
        awaiting.remove(queueId);
    }

    /** Live calls in a queue (waiting, talking or on hold). */
    public int liveCallsIn(String queueId) {
        int n = 0;
        for (LiveCall lc : live.values()) {
            if (lc.call.queueId().equals(queueId)) {
                n++;
            }
        }
        return n;
    }

    /** Whether the engine knows the agent (configured, or seen in a call). */
    public boolean knowsAgent(String agentId) {
        return metrics.knowsAgent(agentId);
    }

    public Optional<Call> call(String callId) {
        return Optional.ofNullable(find(callId));
    }

    /** Calls not ended, in no particular order. */
    public Collection<Call> liveCalls() {
        List<Call> out = new ArrayList<>(live.size());
        for (LiveCall lc : live.values()) {
            out.add(lc.call);
        }
        return Collections.unmodifiableList(out);
    }

    public int liveCallCount() {
        return live.size();
    }

    /** Every agent's figures now (today's). */
    public List<AgentMetrics> agentMetrics() {
        return metrics.agents(clock.nowMs());
    }

    /** One agent's figures now, if known. */
    public Optional<AgentMetrics> agentMetrics(String agentId) {
        return Optional.ofNullable(metrics.agentFigures(agentId, clock.nowMs()));
    }

    /** Every queue's figures now (today's). */
    public List<QueueMetrics> queueMetrics() {
        return metrics.queues(clock.nowMs());
    }

    /** The whole center's figures now (today's), {@code queueId} {@code null}. */
    public QueueMetrics centerMetrics() {
        return metrics.center(clock.nowMs());
    }

    /** The center's time zone: where today begins. */
    public java.time.ZoneId timeZone() {
        return metrics.zone();
    }

    public QueueDirectory queues() {
        return queues;
    }

    /**
     * The thresholds in force for a queue (its own, else the defaults). Read from the
     * {@link QueueDirectory} once per queue: on the hot path of every event and timer.
     */
    public Thresholds thresholdsFor(String queueId) {
        Thresholds t = thresholdCache.get(queueId);
        if (t == null) {
            t = queues.find(queueId).map(QueueConfig::thresholds).filter(Objects::nonNull).orElse(defaults);
            thresholdCache.put(queueId, t);
        }
        return t;
    }

    public Clock clock() {
        return clock;
    }

    /** The center's thresholds: a queue's where it has none of its own. */
    public Thresholds defaultThresholds() {
        return defaults;
    }

    // ---------------------------------------------------------------- internals

    private Call find(String callId) {
        LiveCall lc = live.get(callId);
        return lc != null ? lc.call : ended.get(callId);
    }

    private void count(Effect e) {
        switch (e) {
            case Effect.Transitioned t -> metrics.onTransition(t);
            case Effect.AgentOnBreak b -> metrics.setOnBreak(b.agentId(), b.atMs());
            case Effect.AlertRaised a -> { }
            case Effect.AlertResolved a -> { }
            case Effect.ReviewFlagged r -> { }
            case Effect.SurveyRequested s -> { }
            case Effect.WrapUpStarted w -> metrics.startWrapUp(w.agentId(), w.atMs(), w.untilMs());
        }
    }

    private void store(LiveCall lc, Call call, boolean withTimers) {
        String id = call.id();
        Call old = lc != null ? lc.call : null;
        if (old != null && systemRouted(old) && !(call.isLive() && systemRouted(call)
            && old.waitStartMs() == call.waitStartMs() && old.queueId().equals(call.queueId()))) {
            TreeSet<Awaiting> set = awaiting.get(old.queueId());
            if (set != null) {
                set.remove(new Awaiting(old.waitStartMs(), id));
            }
        }
        if (call.isLive() && systemRouted(call)) {
            awaiting.computeIfAbsent(call.queueId(), k -> new TreeSet<>()).add(new Awaiting(call.waitStartMs(), id));
        }
        if (call.isLive()) {
            if (lc == null) {
                lc = new LiveCall(call, allocateHandle());
                handles[lc.handle] = lc;
                live.put(id, lc);
                ended.remove(id);
            }
            lc.call = call;
            if (withTimers) {
                reconcileTimers(lc);
            }
        } else {
            if (lc != null) {
                for (int k = 0; k < lc.timerIds.length; k++) {
                    if (lc.timerIds[k] != NO_TIMER) {
                        wheel.cancel(lc.timerIds[k]);
                    }
                }
                live.remove(id);
                handles[lc.handle] = null;
                freeHandles[freeTop++] = lc.handle;
            }
            ended.put(id, call);
        }
    }

    private void reconcileTimers(LiveCall lc) {
        Thresholds th = thresholdsFor(lc.call.queueId());
        for (TimedRule rule : timedRules) {
            if (rule == null) {
                continue;
            }
            int k = rule.timer().ordinal();
            long want = rule.deadlineMs(lc.call, th);
            if (want == lc.deadlines[k]) {
                continue;
            }
            if (lc.timerIds[k] != NO_TIMER) {
                wheel.cancel(lc.timerIds[k]);
                lc.timerIds[k] = NO_TIMER;
            }
            lc.deadlines[k] = want;
            if (want != Call.NONE) {
                lc.timerIds[k] = wheel.schedule(want, ((long) lc.handle << KIND_BITS) | k);
            }
        }
    }

    private int allocateHandle() {
        if (freeTop > 0) {
            return freeHandles[--freeTop];
        }
        if (handleHighWater == handles.length) {
            handles = Arrays.copyOf(handles, handles.length * 2);
            freeHandles = Arrays.copyOf(freeHandles, freeHandles.length * 2);
        }
        return handleHighWater++;
    }

    /** A queued system-routed call, ordered by wait start, then id. */
    private record Awaiting(long waitStartMs, String callId) implements Comparable<Awaiting> {
        @Override
        public int compareTo(Awaiting o) {
            int c = Long.compare(waitStartMs, o.waitStartMs);
            return c != 0 ? c : callId.compareTo(o.callId);
        }
    }

    private static final class LiveCall {
        Call call;
        final int handle;
        final long[] timerIds = new long[TIMER_KINDS];
        /** The deadline of each pending timer (Call.NONE without one): no wheel lookup to compare. */
        final long[] deadlines = new long[TIMER_KINDS];

        LiveCall(Call call, int handle) {
            this.call = call;
            this.handle = handle;
            Arrays.fill(timerIds, NO_TIMER);
            Arrays.fill(deadlines, Call.NONE);
        }
    }

    /** One evaluation's working state: the rules' view of the engine. */
    private final class Evaluation implements RuleContext {
        Call call;
        final long at;
        final List<Effect> effects = new ArrayList<>(4);

        Evaluation(Call call, long at) {
            this.call = call;
            this.at = at;
        }

        @Override
        public Call call() {
            return call;
        }

        @Override
        public Thresholds thresholds() {
            return thresholdsFor(call.queueId());
        }

        @Override
        public long atMs() {
            return at;
        }

        @Override
        public void raise(AlertKind kind, String agentId, String message) {
            if (call.has(kind.flag())) {
                return;
            }
            call = call.toBuilder().flag(kind.flag()).buildSameVersion();
            effects.add(new Effect.AlertRaised(new Alert(Alert.idFor(call.id(), kind), kind, call.id(), call.queueId(),
                agentId, at, message)));
        }

        @Override
        public void flag(CallFlag flag) {
            call = call.toBuilder().flag(flag).buildSameVersion();
        }

        @Override
        public void emit(Effect effect) {
            effects.add(effect);
        }

        @Override
        public boolean transition(CallEvent systemEvent) {
            Call before = call;
            return switch (CallStateMachine.apply(before, systemEvent, at, queues::exists)) {
                case CallStateMachine.Transition.Rejected r -> false;
                case CallStateMachine.Transition.Accepted a -> {
                    call = a.call();
                    effects.add(new Effect.Transitioned(systemEvent, before, call, at, true));
                    yield true;
                }
            };
        }

        @Override
        public String systemEventId() {
            return "sys-" + call.id() + "-" + (call.version() + 1);
        }

        @Override
        public String nextAgent() {
            Optional<QueueConfig> q = queues.find(call.queueId());
            return q.isEmpty() ? null : router.nextAgent(q.get(), call.missedAgents(), metrics);
        }

        @Override
        public int consecutiveMisses(String agentId) {
            return metrics.consecutiveMisses(agentId);
        }

        @Override
        public boolean onBreak(String agentId) {
            return metrics.onBreak(agentId);
        }
    }

    /** Wiring for a {@link CallEngine}. */
    public static final class Builder {
        private Clock clock = Clock.system();
        private QueueDirectory queues = QueueDirectory.of(List.of());
        private AgentRouter router = AgentRouter.longestIdle();
        private Thresholds defaults = Thresholds.DEFAULTS;
        private List<Rule> rules = Rules.standard();
        private final List<EffectListener> listeners = new ArrayList<>();
        private long tickMs = DEFAULT_TICK_MS;
        private int ticksPerWheel = DEFAULT_TICKS_PER_WHEEL;
        private int retainEndedCalls = DEFAULT_RETAINED_ENDED_CALLS;
        private java.time.ZoneId zone = java.time.ZoneOffset.UTC;

        private Builder() {
        }

        public Builder clock(Clock c) { clock = Objects.requireNonNull(c); return this; }
        public Builder queues(QueueDirectory q) { queues = Objects.requireNonNull(q); return this; }
        public Builder router(AgentRouter r) { router = Objects.requireNonNull(r); return this; }
        public Builder thresholds(Thresholds t) { defaults = Objects.requireNonNull(t); return this; }
        public Builder rules(List<Rule> r) { rules = List.copyOf(r); return this; }
        public Builder listener(EffectListener l) { listeners.add(Objects.requireNonNull(l)); return this; }
        public Builder tickMs(long ms) { tickMs = ms; return this; }
        public Builder ticksPerWheel(int n) { ticksPerWheel = n; return this; }
        public Builder retainEndedCalls(int n) { retainEndedCalls = n; return this; }
        /** The center's time zone: "today" of the figures begins at its midnight (UTC by default). */
        public Builder timeZone(java.time.ZoneId z) { zone = Objects.requireNonNull(z); return this; }

        public CallEngine build() {
            return new CallEngine(this);
        }
    }
}
