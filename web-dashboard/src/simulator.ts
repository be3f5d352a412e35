/**
 * The call simulator: which events make sense for a call in its current state, and a traffic
 * generator that plays realistic call lifecycles. Everything goes through the public REST API
 * (`POST /api/events`), like any integration; the resulting state comes back over Socket.io like
 * everyone else's.
 */
import type { Agent, Call, CallType, OutgoingEvent, Queue } from './wire';

/** What a person (or the generator) can do to a call. */
export type CallAction = 'route' | 'answer' | 'no_answer' | 'hold' | 'resume' | 'transfer' | 'end';

export const END_REASONS = ['completed', 'caller_hangup', 'agent_hangup', 'dropped'] as const;

/** The actions the state machine accepts for the call's current phase (call-core's transition table). */
export function actionsFor(call: Call): CallAction[] {
  switch (phaseOf(call)) {
    case 'queued':
      return ['route', 'end'];
    case 'ringing':
      return ['answer', 'no_answer', 'end'];
    case 'active':
      return ['hold', 'transfer', 'end'];
    case 'on_hold':
      return ['resume', 'transfer', 'end'];
    case 'ended':
      return [];
  }
}

export function phaseOf(call: Call): 'queued' | 'ringing' | 'active' | 'on_hold' | 'ended' {
  if (call.phase) return call.phase;
  if (call.status === 'waiting') return call.agent_id ? 'ringing' : 'queued';
  return call.status;
}

/** A random id: crypto.randomUUID needs a secure context, getRandomValues does not. */
export function randomId(prefix: string, bytes = 6): string {
  const b = new Uint8Array(bytes);
  crypto.getRandomValues(b);
  return prefix + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export function newCallEvent(callId: string, queueId: string, type: CallType): OutgoingEvent {
  return { event_id: randomId('evt-'), type: 'call_initiated', call_id: callId, data: { type, queue_id: queueId } };
}

export interface ActionParams {
  agentId?: string;
  /** a transfer target: `queue:<id>` or `agent:<id>` */
  target?: string;
  endReason?: string;
}

/** The event for `action` on `call`; throws when a required parameter is missing. */
export function eventFor(call: Call, action: CallAction, params: ActionParams = {}): OutgoingEvent {
  const base = { event_id: randomId('evt-'), call_id: call.id };
  switch (action) {
    case 'route':
      if (!params.agentId) throw new Error('choose an agent to route to');
      return { ...base, type: 'call_routed', data: { agent_id: params.agentId } };
    case 'answer':
      return { ...base, type: 'call_answered', data: {} };
    case 'no_answer':
      return { ...base, type: 'call_retransfer', data: { reason: 'no_answer' } };
    case 'hold':
      return { ...base, type: 'call_hold', data: {} };
    case 'resume':
      return { ...base, type: 'call_resumed', data: {} };
    case 'transfer': {
      const [kind, id] = splitTarget(params.target);
      if (!id) throw new Error('choose where to transfer the call');
      return { ...base, type: 'call_transferred', data: kind === 'agent' ? { agent_id: id } : { queue_id: id } };
    }
    case 'end':
      return { ...base, type: 'call_ended', data: { end_reason: params.endReason ?? 'completed' } };
  }
}

function splitTarget(target: string | undefined): ['queue' | 'agent', string] {
  if (!target) return ['queue', ''];
  const i = target.indexOf(':');
  const kind = target.slice(0, i) === 'agent' ? 'agent' : 'queue';
  return [kind, target.slice(i + 1)];
}

// ---- traffic generator --------------------------------------------------------------------------

/** What the generator needs from its surroundings (injected, so tests drive it with fakes). */
export interface GeneratorPorts {
  post(event: OutgoingEvent): Promise<{ ok: boolean; status: number }>;
  /** the call as the store knows it now */
  call(id: string): Call | undefined;
  queues(): Queue[];
  agents(): Agent[];
  random(): number;
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** counters for the status line */
  report(stats: { started: number; posted: number; rejected: number }): void;
}

/** How one generated call will go: decided at its start, played step by step against its live state. */
interface Plan {
  patienceMs: number;
  talkMs: number;
  holdAtMs: number | null;
  holdMs: number;
  transferTo: string | null;
  ignoreRing: boolean;
  endReason: string;
  startedAt: number;
  answeredAt: number | null;
  heldAt: number | null;
  transferred: boolean;
  claimedAgent: string | null;
  timer: unknown;
}

/** Shortest pause between two steps of one call. */
const MIN_STEP_MS = 250;

/** Most generated calls alive at once, whatever the rate. */
export const MAX_LIVE_GENERATED = 400;

/**
 * Plays calls with random but plausible lives: a caller waits a few seconds to a minute (some give
 * up), is routed to an available agent of the queue, who usually answers in a few seconds (some
 * let it ring: the server re-routes); calls last from a few seconds (short-call reviews) to a few
 * minutes, some are put on hold (a few too long), some transferred to another queue.
 */
export class TrafficGenerator {
  private readonly plans = new Map<string, Plan>();
  private ticker: unknown = null;
  private readonly claimed = new Set<string>();
  private stats = { started: 0, posted: 0, rejected: 0 };
  private perMinute = 30;

  constructor(private readonly ports: GeneratorPorts) {}

  get running(): boolean {
    return this.ticker !== null;
  }

  start(callsPerMinute: number): void {
    this.perMinute = Math.max(1, Math.min(1200, callsPerMinute));
    if (this.running) return;
    this.scheduleArrival();
  }

  stop(): void {
    if (this.ticker !== null) this.ports.clearTimeout(this.ticker);
    this.ticker = null;
    // calls already in progress are left as they are: a supervisor can finish them by hand
    for (const p of this.plans.values()) this.ports.clearTimeout(p.timer);
    this.plans.clear();
    this.claimed.clear();
  }

  private scheduleArrival(): void {
    // Poisson arrivals: exponential gaps with the mean the rate asks for
    const meanMs = 60_000 / this.perMinute;
    const gap = Math.min(meanMs * 5, -Math.log(1 - this.ports.random()) * meanMs);
    this.ticker = this.ports.setTimeout(() => {
      this.arrive();
      if (this.ticker !== null) this.scheduleArrival();
    }, gap);
  }

  private arrive(): void {
    const queues = this.ports.queues();
    if (queues.length === 0 || this.plans.size >= MAX_LIVE_GENERATED) return;
    const r = () => this.ports.random();
    const queue = queues[Math.floor(r() * queues.length)]!;
    const id = randomId('sim-', 4);
    const others = queues.filter((q) => q.id !== queue.id);
    const plan: Plan = {
      patienceMs: between(r(), 15_000, 90_000),
      talkMs: r() < 0.08 ? between(r(), 2_000, 8_000) : between(r(), 15_000, 120_000),
      holdAtMs: r() < 0.25 ? between(r(), 5_000, 30_000) : null,
      holdMs: r() < 0.1 ? between(r(), 61_000, 75_000) : between(r(), 8_000, 40_000),
      transferTo: others.length > 0 && r() < 0.08 ? others[Math.floor(r() * others.length)]!.id : null,
      ignoreRing: r() < 0.06,
      endReason: r() < 0.85 ? 'completed' : 'agent_hangup',
      startedAt: this.ports.now(),
      answeredAt: null,
      heldAt: null,
      transferred: false,
      claimedAgent: null,
      timer: null,
    };
    this.plans.set(id, plan);
    this.stats.started++;
    void this.send(id, newCallEvent(id, queue.id, r() < 0.8 ? 'voice' : 'video')).then(() =>
      this.later(id, between(r(), 2_000, 20_000)),
    );
  }

  private later(id: string, ms: number): void {
    const plan = this.plans.get(id);
    if (!plan) return;
    // whole milliseconds, never zero: a step always lets the clock move
    plan.timer = this.ports.setTimeout(() => void this.step(id), Math.max(MIN_STEP_MS, Math.ceil(ms)));
  }

  /** One step of a call's life, chosen from its live state. */
  private async step(id: string): Promise<void> {
    const plan = this.plans.get(id);
    if (!plan) return;
    const call = this.ports.call(id);
    if (!call) {
      // not seen yet (the push is on its way): look again shortly, but not forever
      if (this.ports.now() - plan.startedAt > 30_000) this.forget(id);
      else this.later(id, 1_000);
      return;
    }
    const r = () => this.ports.random();
    const now = this.ports.now();
    const phase = phaseOf(call);
    switch (phase) {
      case 'queued': {
        if (now - plan.startedAt > plan.patienceMs) {
          await this.send(id, eventFor(call, 'end', { endReason: 'caller_hangup' }));
          this.forget(id);
          return;
        }
        const agent = this.pickAgent(call.queue_id);
        if (!agent) {
          this.later(id, 2_000);
          return;
        }
        this.release(plan);
        plan.claimedAgent = agent;
        this.claimed.add(agent);
        await this.send(id, eventFor(call, 'route', { agentId: agent }));
        this.later(id, between(r(), 1_500, 7_000));
        return;
      }
      case 'ringing':
        if (plan.ignoreRing) {
          plan.ignoreRing = false; // the server's ring timer re-routes it; the next agent answers
          this.later(id, 4_000);
          return;
        }
        await this.send(id, eventFor(call, 'answer'));
        plan.answeredAt = now;
        this.later(id, plan.holdAtMs !== null ? plan.holdAtMs : plan.talkMs);
        return;
      case 'active': {
        plan.answeredAt ??= now;
        if (plan.holdAtMs !== null && plan.heldAt === null) {
          plan.heldAt = now;
          await this.send(id, eventFor(call, 'hold'));
          this.later(id, plan.holdMs);
          return;
        }
        if (plan.transferTo !== null && !plan.transferred) {
          plan.transferred = true;
          this.release(plan);
          await this.send(id, eventFor(call, 'transfer', { target: `queue:${plan.transferTo}` }));
          plan.startedAt = now; // a new wait in the new queue
          this.later(id, between(r(), 2_000, 10_000));
          return;
        }
        const talked = now - plan.answeredAt;
        if (talked < plan.talkMs) {
          this.later(id, plan.talkMs - talked);
          return;
        }
        await this.send(id, eventFor(call, 'end', { endReason: plan.endReason }));
        this.forget(id);
        return;
      }
      case 'on_hold':
        await this.send(id, eventFor(call, 'resume'));
        this.later(id, between(r(), 5_000, 40_000));
        return;
      case 'ended':
        this.forget(id);
        return;
    }
  }

  /** An agent of the queue who is free, as far as the last metrics and our own claims tell. */
  private pickAgent(queueId: string | null): string | null {
    const queue = this.ports.queues().find((q) => q.id === queueId);
    if (!queue) return null;
    const states = new Map(this.ports.agents().map((a) => [a.id, a.state]));
    const free = queue.agents.filter((a) => !this.claimed.has(a) && (states.get(a) ?? 'available') === 'available');
    if (free.length === 0) return null;
    return free[Math.floor(this.ports.random() * free.length)]!;
  }

  private release(plan: Plan): void {
    if (plan.claimedAgent) this.claimed.delete(plan.claimedAgent);
    plan.claimedAgent = null;
  }

  private forget(id: string): void {
    const plan = this.plans.get(id);
    if (plan) {
      this.release(plan);
      this.ports.clearTimeout(plan.timer);
    }
    this.plans.delete(id);
  }

  private async send(id: string, event: OutgoingEvent): Promise<void> {
    try {
      const res = await this.ports.post(event);
      if (res.ok) this.stats.posted++;
      else {
        this.stats.rejected++;
        if (res.status === 404 || res.status === 422) this.forget(id);
      }
    } catch {
      this.stats.rejected++;
    }
    this.ports.report({ ...this.stats });
  }
}

function between(r: number, lo: number, hi: number): number {
  return lo + r * (hi - lo);
}
