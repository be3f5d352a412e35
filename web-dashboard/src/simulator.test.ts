import { describe, expect, it } from 'vitest';
import { actionsFor, eventFor } from './simulator';
import type { Call } from './wire';

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
