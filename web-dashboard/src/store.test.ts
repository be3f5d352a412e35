import { describe, expect, it } from 'vitest';
import {
  computeVisible,
  initialState,
  MAX_ENDED_CALLS,
  madeAvailable,
  matchesFilters,
  sameQuery,
  withPresence,
  NO_FILTERS,
  SERIES_WINDOW_MS,
  Store,
  viewFromQuery,
  viewToQuery,
} from './store';
import { agentFixture, callFixture, queueFixture } from './fixtures';
import type { Agent, AgentEventPush, Alert, Call, CallEvent, CallEventPush, CallStatus, MetricsPush } from './wire';

const T0 = Date.parse('2026-11-24T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

const call = (id: string, over: Partial<Call> = {}): Call => callFixture(id, T0, over);

function push(seq: number, c: Call, type = 'call_initiated', source = 'external'): CallEventPush {
  const event: CallEvent = { id: `e${seq}`, call_id: c.id, type, timestamp: iso(T0 + seq * 1000), metadata: { source }, seq };
  return { seq, event, call: c };
}

function alert(seq: number, callId: string, id = `a${seq}`): Alert {
  return { seq, id, kind: 'sla_breach', call_id: callId, queue_id: 'medical_spanish', agent_id: null, at: iso(T0 + seq * 1000), message: `call ${callId} waited`, acked_at: null };
}

/** A store past its first (empty) snapshot: pushes apply directly. */
function liveStore(): Store {
  const s = new Store();
  s.dispatch({ kind: 'snapshot', calls: [], alerts: [], queues: [], agents: [] });
  return s;
}

describe('applying pushes', () => {
  it('a call_event adds the call as one row', () => {
    const s = liveStore();
    s.dispatch({ kind: 'call_event', push: push(1, call('c1')) });
    expect(s.state.calls.size).toBe(1);
    expect(s.state.calls.get('c1')?.call.status).toBe('waiting');
    expect(s.state.calls.get('c1')?.last).toEqual({ type: 'call_initiated', at: iso(T0 + 1000), system: false });
  });

  it('later events of the same call update its row in place, never add a second one', () => {
    const s = liveStore();
    s.dispatch({ kind: 'call_event', push: push(1, call('c1')) });
    s.dispatch({ kind: 'call_event', push: push(2, call('c1', { agent_id: 'ana', phase: 'ringing' }), 'call_routed') });
    s.dispatch({ kind: 'call_event', push: push(3, call('c1', { status: 'active', phase: 'active', agent_id: 'ana', answer_time: iso(T0 + 3000) }), 'call_answered') });
    expect(s.state.calls.size).toBe(1);
    expect(s.state.calls.get('c1')?.call.status).toBe('active');
    expect(s.state.calls.get('c1')?.last.type).toBe('call_answered');
  });

  it('marks system events as such', () => {
    const s = liveStore();
    s.dispatch({ kind: 'call_event', push: push(1, call('c1'), 'call_retransfer', 'system') });
    expect(s.state.calls.get('c1')?.last.system).toBe(true);
  });

  it('reports changed rows and a changed order to the views, once', () => {
    const s = liveStore();
    s.takeChanges();
    s.dispatch({ kind: 'call_event', push: push(1, call('c1')) });
    const c = s.takeChanges();
    expect([...c.calls]).toEqual(['c1']);
    expect(c.order).toBe(true);
    expect(s.takeChanges().calls.size).toBe(0);
  });

  it('an alert is listed as open and highlights its call', () => {
    const s = liveStore();
    s.dispatch({ kind: 'call_event', push: push(1, call('c1')) });
    s.dispatch({ kind: 'call_event', push: push(2, call('c1', { flags: ['sla_breach'] }), 'alert_raised', 'system') });
    s.dispatch({ kind: 'alert', alert: alert(2, 'c1') });
    expect(s.openAlerts().map((a) => a.id)).toEqual(['a2']);
    expect(s.callsWithOpenAlerts().has('c1')).toBe(true);
    expect(s.takeChanges().newAlerts).toEqual(['a2']);
  });

  it('an acknowledged alert leaves the open list, even when the ack overtakes the alert', () => {
    const s = liveStore();
    s.dispatch({ kind: 'alert', alert: alert(2, 'c1') });
    s.dispatch({ kind: 'alert_acked', alert: { ...alert(2, 'c1'), acked_at: iso(T0 + 9000) }, live: true });
    expect(s.openAlerts()).toEqual([]);

    const t = liveStore();
    t.dispatch({ kind: 'alert_acked', alert: { ...alert(4, 'c2'), acked_at: iso(T0 + 9000) }, live: true });
    t.dispatch({ kind: 'alert', alert: alert(4, 'c2') });
    expect(t.openAlerts()).toEqual([]);
  });

  it('metrics replace queues and agents and feed the chart within its window', () => {
    const s = liveStore();
    const q = queueFixture();
    const m: MetricsPush = { queues: [q], agents: [] };
    s.dispatch({ kind: 'metrics', push: m, at: T0 });
    s.dispatch({ kind: 'metrics', push: m, at: T0 + 1000 });
    s.dispatch({ kind: 'metrics', push: m, at: T0 + SERIES_WINDOW_MS + 500 });
    expect(s.state.queues.get('medical_spanish')?.metrics.waiting_now).toBe(3);
    expect(s.state.series.get('medical_spanish')?.map((x) => x.t)).toEqual([T0 + 1000, T0 + SERIES_WINDOW_MS + 500]);
  });
});

describe('dedupe by seq', () => {
  it('drops a push at or below the highest seq applied', () => {
    const s = liveStore();
    s.dispatch({ kind: 'call_event', push: push(1, call('c1')) });
    s.dispatch({ kind: 'call_event', push: push(2, call('c1', { status: 'active', phase: 'active' }), 'call_answered') });
    s.takeChanges();
    // a stale copy of seq 1 must not take the row back to waiting
    s.dispatch({ kind: 'call_event', push: push(1, call('c1')) });
    s.dispatch({ kind: 'call_event', push: push(2, call('c1', { status: 'active', phase: 'active' }), 'call_answered') });
    expect(s.state.calls.get('c1')?.call.status).toBe('active');
    expect(s.takeChanges().calls.size).toBe(0);
    expect(s.state.lastPos).toBe(4);
  });

  it('keeps the call_event and the alert that share one seq, each once', () => {
    const s = liveStore();
    s.dispatch({ kind: 'call_event', push: push(5, call('c1'), 'alert_raised', 'system') });
    s.dispatch({ kind: 'alert', alert: alert(5, 'c1') });
    s.dispatch({ kind: 'alert', alert: alert(5, 'c1') });
    expect(s.state.alerts.size).toBe(1);
    expect(s.takeChanges().newAlerts).toEqual(['a5']);
    s.dispatch({ kind: 'call_event', push: push(5, call('c1'), 'alert_raised', 'system') });
    expect(s.takeChanges().calls.size).toBe(0);
  });

  it('an event seen twice is appended to the open history once', () => {
    const s = liveStore();
    s.dispatch({ kind: 'call_event', push: push(1, call('c1')) });
    s.dispatch({ kind: 'select', callId: 'c1' });
    s.dispatch({ kind: 'history_loaded', callId: 'c1', events: [push(1, call('c1')).event] });
    s.dispatch({ kind: 'call_event', push: push(2, call('c1', { phase: 'ringing', agent_id: 'ana' }), 'call_routed') });
    s.dispatch({ kind: 'call_event', push: push(2, call('c1', { phase: 'ringing', agent_id: 'ana' }), 'call_routed') });
    expect(s.state.history?.events.map((e) => e.seq)).toEqual([1, 2]);
  });
});

describe('snapshot and pushes', () => {
  it('pushes that arrive before the snapshot are applied over it, in order', () => {
    const s = new Store();
    s.dispatch({ kind: 'subscribed', seq: 10 });
    s.dispatch({ kind: 'call_event', push: push(11, call('c1', { status: 'active', phase: 'active' }), 'call_answered') });
    s.dispatch({ kind: 'call_event', push: push(12, call('c2')) });
    expect(s.state.calls.size).toBe(0);
    // the snapshot was read before seq 11 was committed
    s.dispatch({ kind: 'snapshot', calls: [call('c1', { status: 'waiting', phase: 'ringing' }), call('c3')], alerts: [], queues: [], agents: [] });
    expect([...s.state.calls.keys()].sort()).toEqual(['c1', 'c2', 'c3']);
    expect(s.state.calls.get('c1')?.call.status).toBe('active');
    expect(s.state.lastPos).toBe(24);
  });

  it('history loaded after live events merges without duplicates', () => {
    const s = liveStore();
    s.dispatch({ kind: 'select', callId: 'c1' });
    s.dispatch({ kind: 'call_event', push: push(3, call('c1', { phase: 'ringing' }), 'call_routed') });
    s.dispatch({ kind: 'history_loaded', callId: 'c1', events: [push(1, call('c1')).event, push(3, call('c1')).event] });
    expect(s.state.history?.events.map((e) => e.seq)).toEqual([1, 3]);
    expect(s.state.history?.loading).toBe(false);
  });

  it('keeps only the newest ended calls, never a live one', () => {
    const s = liveStore();
    let seq = 0;
    s.dispatch({ kind: 'call_event', push: push(++seq, call('live')) });
    const total = MAX_ENDED_CALLS + MAX_ENDED_CALLS / 10 + 1;
    for (let i = 0; i < total; i++) {
      s.dispatch({ kind: 'call_event', push: push(++seq, call(`e${i}`, { status: 'ended', phase: 'ended', end_time: iso(T0 + i * 1000) }), 'call_ended') });
    }
    const ended = [...s.state.calls.values()].filter((r) => r.call.status === 'ended');
    expect(ended.length).toBe(MAX_ENDED_CALLS);
    expect(s.state.calls.has('live')).toBe(true);
    expect(s.state.calls.has('e0')).toBe(false);
    expect(s.state.calls.has(`e${total - 1}`)).toBe(true);
  });
});

describe('resume', () => {
  it('resumes from the subscription point before any push', () => {
    const s = new Store();
    s.dispatch({ kind: 'subscribed', seq: 41 });
    expect(s.resumeSeq()).toBe(41);
  });

  it('resumes after the last entry whose pushes all arrived', () => {
    const s = liveStore();
    s.dispatch({ kind: 'call_event', push: push(7, call('c1')) });
    // seq 7 may still have an alert on its way: replay 7 again, its call_event is dropped
    expect(s.resumeSeq()).toBe(6);
    s.dispatch({ kind: 'alert', alert: alert(7, 'c1') });
    expect(s.resumeSeq()).toBe(7);
  });

  it('a replay overlapping what was seen adds only what was missed: no duplicate row, alert or history entry', () => {
    const s = liveStore();
    const c = (n: number, st: CallStatus) => call(`c${n}`, { status: st, phase: st === 'waiting' ? 'queued' : st === 'active' ? 'active' : st === 'on_hold' ? 'on_hold' : 'ended' });
    s.dispatch({ kind: 'call_event', push: push(1, c(1, 'waiting')) });
    s.dispatch({ kind: 'call_event', push: push(2, c(2, 'waiting')) });
    s.dispatch({ kind: 'call_event', push: push(3, c(1, 'active'), 'call_answered') });
    s.dispatch({ kind: 'select', callId: 'c1' });
    s.dispatch({ kind: 'history_loaded', callId: 'c1', events: [push(1, c(1, 'waiting')).event, push(3, c(1, 'active')).event] });
    const from = s.resumeSeq();
    expect(from).toBe(2);
    s.takeChanges();
    // connection lost; meanwhile seq 4 (alert for c2) and 5 (c1 on hold) happened. The server replays after `from`.
    s.dispatch({ kind: 'call_event', push: push(3, c(1, 'active'), 'call_answered') });
    s.dispatch({ kind: 'call_event', push: push(4, c(2, 'waiting'), 'alert_raised', 'system') });
    s.dispatch({ kind: 'alert', alert: alert(4, 'c2') });
    s.dispatch({ kind: 'call_event', push: push(5, c(1, 'on_hold'), 'call_hold') });
    // and a live push that raced the replay
    s.dispatch({ kind: 'call_event', push: push(5, c(1, 'on_hold'), 'call_hold') });
    expect(s.state.calls.size).toBe(2);
    expect(s.state.calls.get('c1')?.call.status).toBe('on_hold');
    expect(s.openAlerts().map((a) => a.id)).toEqual(['a4']);
    expect(s.state.history?.events.map((e) => e.seq)).toEqual([1, 3, 5]);
    expect(s.resumeSeq()).toBe(4);
  });

  it('a resync forgets everything and buffers again until the next snapshot', () => {
    const s = liveStore();
    s.dispatch({ kind: 'call_event', push: push(9, call('c1')) });
    s.dispatch({ kind: 'resync' });
    expect(s.state.calls.size).toBe(0);
    expect(s.state.synced).toBe(false);
    expect(s.state.lastPos).toBe(0);
    s.dispatch({ kind: 'call_event', push: push(1, call('c9')) });
    expect(s.state.calls.size).toBe(0);
    s.dispatch({ kind: 'snapshot', calls: [], alerts: [], queues: [], agents: [] });
    expect([...s.state.calls.keys()]).toEqual(['c9']);
  });
});

describe('filters and sort', () => {
  const rows = [
    call('call-2', { status: 'active', phase: 'active', agent_id: 'ana', answer_time: iso(T0 + 5000) }),
    call('call-10', { status: 'waiting', queue_id: 'legal_french', wait_start_time: iso(T0 + 1000) }),
    call('call-1', { status: 'waiting', wait_start_time: iso(T0) }),
    call('x-77', { status: 'ended', phase: 'ended', agent_id: 'luis', duration: 42 }),
    call('call-3', { status: 'on_hold', phase: 'on_hold', agent_id: 'luis', answer_time: iso(T0) }),
  ];
  function loaded(): Store {
    const s = new Store();
    s.dispatch({ kind: 'snapshot', calls: rows, alerts: [], queues: [], agents: [] });
    return s;
  }
  const now = T0 + 60_000;

  it('by status, queue, agent and part of the id', () => {
    expect(matchesFilters(rows[0]!, { ...NO_FILTERS, status: ['active', 'on_hold'] })).toBe(true);
    expect(matchesFilters(rows[1]!, { ...NO_FILTERS, status: ['active', 'on_hold'] })).toBe(false);
    const s = loaded();
    s.dispatch({ kind: 'filters', filters: { status: ['waiting'] } });
    expect(s.visibleCallIds(now)).toEqual(['call-1', 'call-10']);
    s.dispatch({ kind: 'filters', filters: { queue: 'legal_french' } });
    expect(s.visibleCallIds(now)).toEqual(['call-10']);
    s.dispatch({ kind: 'filters', filters: { status: [], queue: '', agent: 'luis' } });
    expect(s.visibleCallIds(now)).toEqual(['call-3', 'x-77']);
    s.dispatch({ kind: 'filters', filters: { agent: '', search: 'X-7' } });
    expect(s.visibleCallIds(now)).toEqual(['x-77']);
  });

  it('a row that stops matching leaves the view when its call changes', () => {
    const s = loaded();
    s.dispatch({ kind: 'filters', filters: { status: ['waiting'] } });
    expect(s.visibleCallIds(now)).toContain('call-1');
    s.dispatch({ kind: 'call_event', push: push(1, call('call-1', { status: 'active', phase: 'active', answer_time: iso(T0) }), 'call_answered') });
    expect(s.visibleCallIds(now)).not.toContain('call-1');
  });

  it('by default: waiting first, longest wait first, then on hold, active, ended', () => {
    expect(loaded().visibleCallIds(now)).toEqual(['call-1', 'call-10', 'call-3', 'call-2', 'x-77']);
  });

  it('by any column, and a second click on it reverses', () => {
    const s = loaded();
    s.dispatch({ kind: 'sort', column: 'id' });
    expect(s.visibleCallIds(now)).toEqual(['call-1', 'call-2', 'call-3', 'call-10', 'x-77']);
    s.dispatch({ kind: 'sort', column: 'id' });
    expect(s.state.sort).toEqual({ column: 'id', dir: 'desc' });
    expect(s.visibleCallIds(now)[0]).toBe('x-77');
    s.dispatch({ kind: 'sort', column: 'time' });
    // time sorts longest first: 60 s waiting, 60 s on hold (ties by id), 59 s, 55 s, 42 s ended
    expect(s.visibleCallIds(now)).toEqual(['call-3', 'call-1', 'call-10', 'call-2', 'x-77']);
    s.dispatch({ kind: 'sort', column: 'agent', dir: 'asc' });
    expect(computeVisible(s.state, now)).toEqual(['call-2', 'call-3', 'x-77', 'call-1', 'call-10']);
  });
});

describe('the URL', () => {
  it('round-trips filters, sort and the open call', () => {
    const view = { filters: { status: ['waiting', 'on_hold'] as CallStatus[], queue: 'medical_spanish', agent: 'ana', search: '12' }, sort: { column: 'time' as const, dir: 'asc' as const }, callId: 'c 1' };
    const q = viewToQuery(view);
    expect(q).toBe('?status=waiting%2Con_hold&queue=medical_spanish&agent=ana&q=12&sort=time&dir=asc&call=c+1');
    expect(viewFromQuery(q)).toEqual(view);
  });

  it('leaves defaults out and ignores what it does not know', () => {
    expect(viewToQuery({ filters: NO_FILTERS, sort: initialState().sort, callId: null })).toBe('');
    const v = viewFromQuery('?status=bogus,active&sort=nope&dir=sideways');
    expect(v.filters.status).toEqual(['active']);
    expect(v.sort).toEqual(initialState().sort);
  });

  it('all four statuses is the same as no status filter', () => {
    expect(viewFromQuery('?status=ended,active,waiting,on_hold').filters.status).toEqual([]);
  });
});

// ---- supervisor actions in the ordered log ------------------------------------------------------

const agent = (id: string, over: Partial<Agent> = {}): Agent => agentFixture(id, T0, over);

function agentAvailable(seq: number, agentId: string): AgentEventPush {
  return {
    seq,
    event: { id: `sup-${seq}`, call_id: null, type: 'agent_available', timestamp: iso(T0 + seq * 1000),
      metadata: { source: 'supervisor', agent_id: agentId, by: 'key:1a2b3c4d', role: 'supervisor' }, seq },
  };
}

/** The two pushes of an acknowledgement at `ackSeq`: the entry's call_event, then alert_acked. */
function ackPushes(ackSeq: number, raised: Alert): [CallEventPush, Alert] {
  const at = iso(T0 + ackSeq * 1000);
  const event: CallEvent = { id: `sup-${ackSeq}`, call_id: raised.call_id, type: 'alert_acked', timestamp: at,
    metadata: { source: 'supervisor', alert_id: raised.id, kind: raised.kind, by: 'key:1a2b3c4d', role: 'supervisor' }, seq: ackSeq };
  return [{ seq: ackSeq, event, call: call(raised.call_id) }, { ...raised, acked_at: at, acked_by: 'key:1a2b3c4d', ack_seq: ackSeq }];
}

function storeWith(agents: Agent[]): Store {
  const s = new Store();
  s.dispatch({ kind: 'snapshot', calls: [], alerts: [], queues: [], agents });
  return s;
}

describe('agent_event', () => {
  it('agent_available puts an agent on break back at once: available since the entry, no misses', () => {
    const s = storeWith([agent('ana')]);
    s.takeChanges();
    s.dispatch({ kind: 'agent_event', push: agentAvailable(12, 'ana') });
    expect(s.state.agents.get('ana')).toMatchObject({ state: 'available', state_since: iso(T0 + 12_000), consecutive_misses: 0, missed: 3 });
    expect(s.takeChanges().metrics).toBe(true);
  });

  it('advances the resume point like any entry, and a duplicate is dropped', () => {
    const s = storeWith([agent('ana')]);
    s.dispatch({ kind: 'agent_event', push: agentAvailable(12, 'ana') });
    expect(s.state.lastPos).toBe(24);
    expect(s.resumeSeq()).toBe(11);
    s.dispatch({ kind: 'call_event', push: push(13, call('c1')) });
    // the replay of seq 12 after a reconnect, once the agent was already busy again: dropped
    s.state.agents.set('ana', agent('ana', { state: 'ringing', current_call_id: 'c1', state_since: iso(T0 + 13_000), consecutive_misses: 0 }));
    s.dispatch({ kind: 'agent_event', push: agentAvailable(12, 'ana') });
    expect(s.state.agents.get('ana')?.state).toBe('ringing');
    expect(s.state.lastPos).toBe(26);
  });

  it('arriving before the snapshot, it is applied over it, in order with the call events', () => {
    const s = new Store();
    s.dispatch({ kind: 'agent_event', push: agentAvailable(5, 'ana') });
    s.dispatch({ kind: 'call_event', push: push(6, call('c1')) });
    expect(s.state.lastPos).toBe(0);
    s.dispatch({ kind: 'snapshot', calls: [], alerts: [], queues: [], agents: [agent('ana')] });
    expect(s.state.agents.get('ana')?.state).toBe('available');
    expect(s.state.calls.has('c1')).toBe(true);
    expect(s.state.lastPos).toBe(12);
  });

  it('an entry of a kind the store does not know, or about an agent it has not seen, only takes its place', () => {
    const s = storeWith([agent('ana')]);
    s.dispatch({ kind: 'agent_event', push: { seq: 3, event: { ...agentAvailable(3, 'ana').event, type: 'agent_renamed' } } });
    s.dispatch({ kind: 'agent_event', push: agentAvailable(4, 'bob') });
    expect(s.state.agents.get('ana')?.state).toBe('on_break');
    expect(s.state.agents.has('bob')).toBe(false);
    expect(s.state.lastPos).toBe(8);
    s.dispatch({ kind: 'call_event', push: push(5, call('c1')) });
    expect(s.state.calls.has('c1')).toBe(true);
  });

  it('shows what the server shows: a break ends, a call in progress goes on', () => {
    const at = iso(T0 + 60_000);
    expect(madeAvailable(agent('ana', { current_call_id: 'c1' }), at)).toMatchObject({ state: 'ringing', state_since: at, consecutive_misses: 0 });
    const talking = agent('ana', { state: 'on_call', current_call_id: 'c1', state_since: iso(T0 + 5000) });
    expect(madeAvailable(talking, at)).toMatchObject({ state: 'on_call', state_since: iso(T0 + 5000), consecutive_misses: 0 });
  });
});

describe('alert_acked in the ordered log', () => {
  it('keeps who acknowledged it, and both pushes of the entry take their place', () => {
    const s = liveStore();
    const raised = alert(4, 'c1');
    s.dispatch({ kind: 'call_event', push: push(4, call('c1'), 'alert_raised', 'system') });
    s.dispatch({ kind: 'alert', alert: raised });
    const [entry, acked] = ackPushes(9, raised);
    s.dispatch({ kind: 'call_event', push: entry });
    expect(s.state.calls.get('c1')?.last.type).toBe('alert_acked');
    expect(s.resumeSeq()).toBe(8); // its alert_acked may still be on its way
    s.dispatch({ kind: 'alert_acked', alert: acked, live: true });
    expect(s.resumeSeq()).toBe(9);
    expect(s.state.alerts.get('a4')).toMatchObject({ seq: 4, acked_at: iso(T0 + 9000), acked_by: 'key:1a2b3c4d' });
    expect(s.openAlerts()).toEqual([]);
    expect(s.recentlyAcked(5).map((a) => a.id)).toEqual(['a4']);
    expect(s.alertsOfCall('c1').map((a) => a.acked_by)).toEqual(['key:1a2b3c4d']);
  });

  it('a replayed acknowledgement changes nothing; our own REST reply moves no position', () => {
    const s = liveStore();
    const raised = alert(4, 'c1');
    s.dispatch({ kind: 'alert', alert: raised });
    // the REST reply to our own ack comes first (it has acked_by, no ack_seq)
    s.dispatch({ kind: 'alert_acked', alert: { ...raised, acked_at: iso(T0 + 9000), acked_by: 'key:1a2b3c4d' }, live: false });
    expect(s.state.lastPos).toBe(9);
    const [entry, acked] = ackPushes(9, raised);
    s.dispatch({ kind: 'call_event', push: entry }); // not dropped: the reply did not take seq 9's place
    s.dispatch({ kind: 'alert_acked', alert: acked, live: true });
    expect(s.state.lastPos).toBe(19);
    s.takeChanges();
    s.dispatch({ kind: 'call_event', push: entry });
    s.dispatch({ kind: 'alert_acked', alert: { ...acked, acked_by: 'someone else' }, live: true });
    expect(s.takeChanges().alerts).toBe(false);
    expect(s.state.alerts.get('a4')?.acked_by).toBe('key:1a2b3c4d');
  });

  it('acked_by from GET /api/alerts is kept, and an open copy of the alert does not reopen it', () => {
    const s = new Store();
    const ackedRow = { ...alert(4, 'c1'), acked_at: iso(T0 + 9000), acked_by: 'key:1a2b3c4d' };
    s.dispatch({ kind: 'snapshot', calls: [], alerts: [ackedRow, alert(4, 'c1'), alert(6, 'c2')], queues: [], agents: [] });
    expect(s.openAlerts().map((a) => a.id)).toEqual(['a6']);
    expect(s.state.alerts.get('a4')?.acked_by).toBe('key:1a2b3c4d');
  });

  it('the alert_acked push before the snapshot waits for it, after the call_event of its entry', () => {
    const s = new Store();
    const [entry, acked] = ackPushes(9, alert(4, 'c1'));
    s.dispatch({ kind: 'call_event', push: entry });
    s.dispatch({ kind: 'alert_acked', alert: acked, live: true });
    s.dispatch({ kind: 'snapshot', calls: [], alerts: [alert(4, 'c1')], queues: [], agents: [] });
    expect(s.state.calls.has('c1')).toBe(true);
    expect(s.state.alerts.get('a4')).toMatchObject({ acked_by: 'key:1a2b3c4d' });
    expect(s.openAlerts()).toEqual([]);
    expect(s.state.lastPos).toBe(19);
  });
});

// ---- presence -----------------------------------------------------------------------------------

function presenceEntry(seq: number, agentId: string, presence: string, reason: string | null = null, source = 'supervisor'): AgentEventPush {
  return {
    seq,
    event: { id: `sup-${seq}`, call_id: null, type: 'agent_presence', timestamp: iso(T0 + seq * 1000),
      metadata: { source, agent_id: agentId, presence, reason, by: 'key:1a2b3c4d', role: 'supervisor' }, seq },
  };
}

const availableAgent = (id: string, over: Partial<Agent> = {}) =>
  agent(id, { state: 'available', presence: 'available', reason: null, consecutive_misses: 0, ...over });

describe('agent_presence', () => {
  it('a supervisor puts an idle agent not ready: presence, reason and since change at once, the state shows the break', () => {
    const s = storeWith([availableAgent('ana')]);
    s.takeChanges();
    s.dispatch({ kind: 'agent_event', push: presenceEntry(20, 'ana', 'not_ready', 'lunch') });
    expect(s.state.agents.get('ana')).toMatchObject({ presence: 'not_ready', reason: 'lunch', since: iso(T0 + 20_000), state: 'on_break', state_since: iso(T0 + 20_000) });
    expect(s.takeChanges().metrics).toBe(true);
    expect(s.state.lastPos).toBe(40);
  });

  it('during a call the presence changes but the agent still shows the call', () => {
    const talking = availableAgent('ana', { state: 'on_call', current_call_id: 'c1', state_since: iso(T0 + 5000) });
    const s = storeWith([talking]);
    s.dispatch({ kind: 'agent_event', push: presenceEntry(21, 'ana', 'logged_out') });
    expect(s.state.agents.get('ana')).toMatchObject({ presence: 'logged_out', reason: null, state: 'on_call', state_since: iso(T0 + 5000), current_call_id: 'c1' });
  });

  it('wrap-up from the system, then available again; logging out and in moves logged_in_since', () => {
    const s = storeWith([availableAgent('ana')]);
    s.dispatch({ kind: 'agent_event', push: presenceEntry(22, 'ana', 'wrap_up', null, 'system') });
    expect(s.state.agents.get('ana')).toMatchObject({ presence: 'wrap_up', state: 'wrap_up' });
    s.dispatch({ kind: 'agent_event', push: presenceEntry(23, 'ana', 'logged_out') });
    expect(s.state.agents.get('ana')).toMatchObject({ presence: 'logged_out', state: 'logged_out', logged_in_since: null });
    s.dispatch({ kind: 'agent_event', push: presenceEntry(24, 'ana', 'available') });
    expect(s.state.agents.get('ana')).toMatchObject({ presence: 'available', state: 'available', since: iso(T0 + 24_000), logged_in_since: iso(T0 + 24_000) });
  });

  it('not ready without a reason reads as the default reason; the same presence again changes nothing', () => {
    const a = availableAgent('ana');
    const nr = withPresence(a, 'not_ready', null, iso(T0 + 1000));
    expect(nr).toMatchObject({ presence: 'not_ready', reason: 'not_ready' });
    expect(withPresence(nr, 'not_ready', 'not_ready', iso(T0 + 9000))).toBe(nr);
    // another reason is a change: since moves
    expect(withPresence(nr, 'not_ready', 'training', iso(T0 + 9000))).toMatchObject({ reason: 'training', since: iso(T0 + 9000), state_since: iso(T0 + 1000) });
  });

  it('setting available ends the auto-break like the v1 route: misses start again from zero', () => {
    const s = storeWith([agent('ana')]);
    s.dispatch({ kind: 'agent_event', push: presenceEntry(25, 'ana', 'available') });
    expect(s.state.agents.get('ana')).toMatchObject({ presence: 'available', reason: null, state: 'available', consecutive_misses: 0, missed: 3 });
    // and the v1 entry moves the presence too
    const t = storeWith([agent('bob')]);
    t.dispatch({ kind: 'agent_event', push: agentAvailable(26, 'bob') });
    expect(t.state.agents.get('bob')).toMatchObject({ presence: 'available', reason: null, since: iso(T0 + 26_000) });
  });

  it('a duplicate or an unknown presence only takes its place', () => {
    const s = storeWith([availableAgent('ana')]);
    s.dispatch({ kind: 'agent_event', push: presenceEntry(30, 'ana', 'not_ready', 'lunch') });
    s.dispatch({ kind: 'agent_event', push: presenceEntry(31, 'ana', 'available') });
    s.dispatch({ kind: 'agent_event', push: presenceEntry(30, 'ana', 'not_ready', 'lunch') }); // the replay after a reconnect
    expect(s.state.agents.get('ana')?.presence).toBe('available');
    s.dispatch({ kind: 'agent_event', push: presenceEntry(32, 'ana', 'on_the_moon') });
    expect(s.state.agents.get('ana')?.presence).toBe('available');
    expect(s.state.lastPos).toBe(64);
  });
});

// ---- the center ---------------------------------------------------------------------------------

describe('the center', () => {
  const center = { waiting_now: 2, longest_wait: 12, offered: 40, answered: 30, answered_within_sla: 24, service_level: 0.75, average_speed_of_answer: 14,
    abandoned: 2, abandoned_short: 1, abandon_rate: 0.0625, sl_target: 0.8, handled: 28, average_handle_time: 300, day: '2026-11-24' };

  it('comes with the snapshot and with every metrics push, and is forgotten at sign-out', () => {
    const s = new Store();
    s.dispatch({ kind: 'snapshot', calls: [], alerts: [], queues: [], agents: [], center });
    expect(s.state.center?.service_level).toBe(0.75);
    s.dispatch({ kind: 'metrics', push: { queues: [], agents: [], center: { ...center, offered: 41 } }, at: T0 });
    expect(s.state.center?.offered).toBe(41);
    // a push without it (an older server) keeps what we have
    s.dispatch({ kind: 'metrics', push: { queues: [], agents: [] }, at: T0 + 1000 });
    expect(s.state.center?.offered).toBe(41);
    s.dispatch({ kind: 'signed_out' });
    expect(s.state.center).toBeNull();
  });
});

// ---- the reports view's state -------------------------------------------------------------------

describe('reports', () => {
  const q = { day: '2026-11-24', interval: 'PT15M' as const, queue: '' };
  const item = { start: '2026-11-24T08:00:00Z', end: '2026-11-24T08:15:00Z', queue_id: 'medical_spanish', offered: 3, answered: 2, answered_within_sla: 2,
    abandoned: 1, abandoned_short: 0, service_level: 2 / 3, abandon_rate: 1 / 3, asa: 10, aht: 200, longest_wait: 40 };

  it('the view and the query change only when they differ', () => {
    const s = new Store(initialState(NO_FILTERS, undefined, '2026-11-24'));
    expect(s.state.report.query).toEqual({ day: '2026-11-24', interval: 'PT1H', queue: '' });
    s.dispatch({ kind: 'view', view: 'reports' });
    expect(s.takeChanges().view).toBe(true);
    s.dispatch({ kind: 'view', view: 'reports' });
    expect(s.takeChanges().view).toBe(false);
    s.dispatch({ kind: 'report_query', query: q });
    expect(s.takeChanges().report).toBe(true);
    s.dispatch({ kind: 'report_query', query: { ...q } });
    expect(s.takeChanges().report).toBe(false);
  });

  it('an answer to the query asked is kept; an answer to an older one is dropped', () => {
    const s = new Store();
    s.dispatch({ kind: 'report_query', query: q });
    s.dispatch({ kind: 'report_loading', query: q });
    expect(s.state.report.status).toBe('loading');
    s.dispatch({ kind: 'report_query', query: { ...q, interval: 'PT1H' } });
    s.dispatch({ kind: 'report_loaded', query: q, items: [item], daily: [item], agents: [], agentsError: null });
    expect(s.state.report.items).toEqual([]);
    s.dispatch({ kind: 'report_loaded', query: { ...q, interval: 'PT1H' }, items: [item], daily: [item], agents: [], agentsError: 'nope' });
    expect(s.state.report).toMatchObject({ status: 'loaded', items: [item], agentsError: 'nope' });
    expect(sameQuery(s.state.report.loaded, { ...q, interval: 'PT1H' })).toBe(true);
  });

  it("a refusal keeps the server's message and no old figures", () => {
    const s = new Store();
    s.dispatch({ kind: 'report_query', query: q });
    s.dispatch({ kind: 'report_loaded', query: q, items: [item], daily: [item], agents: [], agentsError: null });
    s.dispatch({ kind: 'report_failed', query: q, message: 'from: not a date' });
    expect(s.state.report).toMatchObject({ status: 'failed', error: 'from: not a date', items: [], loaded: null });
  });

  it('a download says how it went; a new query clears it', () => {
    const s = new Store();
    s.dispatch({ kind: 'report_download', busy: false, text: 'Saved x.csv (4 rows).' });
    expect(s.state.report.download).toEqual({ busy: false, tone: 'info', text: 'Saved x.csv (4 rows).' });
    s.dispatch({ kind: 'report_query', query: { ...q, day: '2026-11-23' } });
    expect(s.state.report.download).toBeNull();
  });
});
