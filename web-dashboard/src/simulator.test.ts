import { describe, expect, it } from 'vitest';
import { actionsFor, eventFor, TrafficGenerator, type GeneratorPorts } from './simulator';
import type { Agent, Call, OutgoingEvent, Queue } from './wire';

function call(over: Partial<Call>): Call {
  return {
    id: 'c1',
    type: 'voice',
    status: 'waiting',
    queue_id: 'q1',
    agent_id: null,
    start_time: null,
    answer_time: null,
    end_time: null,
    wait_time: null,
    duration: null,
    end_reason: null,
    flags: [],
    ...over,
  };
}

describe('actions for a call', () => {
  it('offer only what the state machine accepts in each phase', () => {
    expect(actionsFor(call({ phase: 'queued' }))).toEqual(['route', 'end']);
    expect(actionsFor(call({ phase: 'ringing', agent_id: 'a' }))).toEqual(['answer', 'no_answer', 'end']);
    expect(actionsFor(call({ status: 'active', phase: 'active' }))).toEqual(['hold', 'transfer', 'end']);
    expect(actionsFor(call({ status: 'on_hold', phase: 'on_hold' }))).toEqual(['resume', 'transfer', 'end']);
    expect(actionsFor(call({ status: 'ended', phase: 'ended' }))).toEqual([]);
  });

  it('tell ringing from queued without the phase extension', () => {
    expect(actionsFor(call({ agent_id: 'ana' }))).toContain('answer');
    expect(actionsFor(call({}))).toContain('route');
  });

  it('build the wire events, with an event_id for safe resends', () => {
    const c = call({ status: 'active', phase: 'active' });
    expect(eventFor(c, 'transfer', { target: 'queue:legal_french' })).toMatchObject({ type: 'call_transferred', call_id: 'c1', data: { queue_id: 'legal_french' } });
    expect(eventFor(c, 'transfer', { target: 'agent:ana' })).toMatchObject({ data: { agent_id: 'ana' } });
    expect(eventFor(c, 'end', { endReason: 'dropped' })).toMatchObject({ type: 'call_ended', data: { end_reason: 'dropped' } });
    expect(eventFor(c, 'hold').event_id).toMatch(/^evt-[0-9a-f]{12}$/);
    expect(() => eventFor(call({}), 'route', {})).toThrow(/agent/);
  });
});

/** A fake server with call-core's transition table, and a virtual clock. */
class World {
  now = 0;
  calls = new Map<string, Call>();
  posted: OutgoingEvent[] = [];
  refused: string[] = [];
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private ids = 0;
  private seed = 42;
  stats = { started: 0, posted: 0, rejected: 0 };
  queues: Queue[] = ['q1', 'q2'].map((id) => ({
    id,
    name: id,
    agents: [`${id}-a`, `${id}-b`, `${id}-c`],
    thresholds: { sla_max_wait: 30, ring_timeout: 15, max_hold: 60, short_call: 10, wrap_up: 0, short_abandon: 5, sl_target: 0.8 },
    metrics: { queue_id: id, waiting_now: 0, longest_wait: 0, offered: 0, answered: 0, answered_within_sla: 0, service_level: null, average_speed_of_answer: null, abandoned: 0,
      abandoned_short: 0, abandon_rate: null, sl_target: 0.8, handled: 0, average_handle_time: null, day: '2026-11-24' },
  }));

  ports(): GeneratorPorts {
    return {
      post: async (e) => this.apply(e),
      call: (id) => this.calls.get(id),
      queues: () => this.queues,
      agents: () => this.agents(),
      random: () => {
        // a small deterministic generator (mulberry32)
        let t = (this.seed = (this.seed + 0x6d2b79f5) | 0);
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      },
      now: () => this.now,
      setTimeout: (fn, ms) => {
        const id = ++this.ids;
        this.timers.push({ at: this.now + ms, fn, id });
        return id;
      },
      clearTimeout: (id) => {
        this.timers = this.timers.filter((t) => t.id !== id);
      },
      report: (s) => {
        this.stats = s;
      },
    };
  }

  agents(): Agent[] {
    const busy = new Set([...this.calls.values()].filter((c) => c.status !== 'ended' && c.agent_id).map((c) => c.agent_id));
    return this.queues.flatMap((q) =>
      q.agents.map((id) => ({ id, queues: [q.id], state: busy.has(id) ? 'on_call' : 'available', state_since: null, current_call_id: null, offered: 0, answered: 0, missed: 0, consecutive_misses: 0, handled: 0, talk_time: 0, hold_time: 0, average_handle_time: null, presence: 'available', reason: null, since: null, logged_in_since: null, wrap_up_time: 0, logged_in_time: 0, not_ready_time: 0, not_ready_by_reason: {}, occupancy: null }) as Agent),
    );
  }

  async apply(e: OutgoingEvent): Promise<{ ok: boolean; status: number }> {
    this.posted.push(e);
    const c = this.calls.get(e.call_id);
    const phase = c?.phase;
    const refuse = (status: number) => {
      this.refused.push(`${e.type} in ${phase}`);
      return { ok: false, status };
    };
    if (e.type === 'call_initiated') {
      if (c) return refuse(409);
      this.calls.set(e.call_id, call({ id: e.call_id, queue_id: e.data.queue_id, type: e.data.type, phase: 'queued' }));
      return { ok: true, status: 201 };
    }
    if (!c) return refuse(404);
    const set = (over: Partial<Call>) => this.calls.set(c.id, { ...c, ...over });
    switch (e.type) {
      case 'call_routed':
        if (phase !== 'queued') return refuse(409);
        set({ phase: 'ringing', agent_id: e.data.agent_id });
        break;
      case 'call_retransfer':
        if (phase !== 'ringing') return refuse(409);
        set({ phase: 'queued', agent_id: null });
        break;
      case 'call_answered':
        if (phase !== 'ringing') return refuse(409);
        set({ phase: 'active', status: 'active' });
        break;
      case 'call_hold':
        if (phase !== 'active') return refuse(409);
        set({ phase: 'on_hold', status: 'on_hold' });
        break;
      case 'call_resumed':
        if (phase !== 'on_hold') return refuse(409);
        set({ phase: 'active', status: 'active' });
        break;
      case 'call_transferred':
        if (phase !== 'active' && phase !== 'on_hold') return refuse(409);
        set('queue_id' in e.data ? { phase: 'queued', status: 'waiting', queue_id: e.data.queue_id, agent_id: null } : { phase: 'ringing', status: 'waiting', agent_id: e.data.agent_id });
        break;
      case 'call_ended':
        if (phase === 'ended') return refuse(409);
        set({ phase: 'ended', status: 'ended', end_reason: e.data.end_reason });
        break;
    }
    return { ok: true, status: 201 };
  }

  async run(untilMs: number): Promise<void> {
    for (let steps = 0; ; steps++) {
      if (steps > 1_000_000) throw new Error('the generator keeps scheduling without letting time pass');
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > untilMs) break;
      this.timers.shift();
      this.now = next.at;
      next.fn();
      for (let i = 0; i < 5; i++) await Promise.resolve();
    }
    this.now = untilMs;
  }
}

describe('traffic generator', () => {
  it('plays whole call lives that the state machine accepts, at about the rate asked', async () => {
    const world = new World();
    const gen = new TrafficGenerator(world.ports());
    gen.start(60);
    await world.run(10 * 60_000);
    gen.stop();
    const initiated = world.posted.filter((e) => e.type === 'call_initiated').length;
    expect(initiated).toBeGreaterThan(450);
    expect(initiated).toBeLessThan(750);
    expect(world.refused).toEqual([]);
    const types = new Set(world.posted.map((e) => e.type));
    for (const t of ['call_routed', 'call_answered', 'call_hold', 'call_resumed', 'call_transferred', 'call_ended']) expect(types).toContain(t);
    const ended = [...world.calls.values()].filter((c) => c.status === 'ended');
    expect(ended.length).toBeGreaterThan(initiated / 2);
    expect(ended.some((c) => c.end_reason === 'caller_hangup')).toBe(true);
    expect(world.stats.posted).toBe(world.posted.length);
  });

  it('routes only to free agents of the call\'s queue', async () => {
    const world = new World();
    const gen = new TrafficGenerator(world.ports());
    gen.start(120);
    await world.run(3 * 60_000);
    gen.stop();
    for (const e of world.posted) {
      if (e.type !== 'call_routed') continue;
      const agent = e.data.agent_id;
      expect(agent.startsWith(`${world.calls.get(e.call_id)?.queue_id}-`) || world.posted.some((x) => x.call_id === e.call_id && x.type === 'call_transferred')).toBe(true);
    }
    const ringing = [...world.calls.values()].filter((c) => c.status !== 'ended' && c.agent_id);
    expect(new Set(ringing.map((c) => c.agent_id)).size).toBe(ringing.length);
  });

  it('stops posting new calls when stopped', async () => {
    const world = new World();
    const gen = new TrafficGenerator(world.ports());
    gen.start(600);
    await world.run(10_000);
    gen.stop();
    const before = world.posted.length;
    await world.run(60_000);
    expect(world.posted.length).toBe(before);
    expect(gen.running).toBe(false);
  });
});
