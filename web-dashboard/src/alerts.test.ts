import { describe, expect, it } from 'vitest';
import { isOpen, seedSeries, SEED_STEP_MS, SERIES_WINDOW_MS, Store } from './store';
import { ALL_QUEUES, alertQueues, bulkIds, MAX_BULK, MAX_NOTE, noteOf, shownAlerts } from './view/alerts';
import { callFixture } from './fixtures';
import type { Alert, Call, Queue } from './wire';

const T0 = Date.parse('2026-12-03T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function alert(id: string, seq: number, queue = 'medical_spanish', kind: Alert['kind'] = 'sla_breach'): Alert {
  return { seq, id, kind, call_id: id.split(':')[0]!, queue_id: queue, agent_id: null, at: iso(T0 + seq * 1000), message: `m ${id}`, acked_at: null };
}

const call = (id: string, over: Partial<Call> = {}): Call => callFixture(id, T0, over);

function queue(id: string, waiting = 0, sl: number | null = null): Queue {
  return {
    id,
    name: id,
    agents: [],
    thresholds: { sla_max_wait: 30, ring_timeout: 15, max_hold: 60, short_call: 10 },
    metrics: { queue_id: id, waiting_now: waiting, longest_wait: 0, offered: 0, answered: 0, answered_within_sla: 0, service_level: sl, average_speed_of_answer: null, abandoned: 0 },
  } as unknown as Queue;
}

function synced(alerts: Alert[], calls: Call[] = []): Store {
  const store = new Store();
  store.dispatch({ kind: 'snapshot', calls, alerts, queues: [], agents: [] });
  return store;
}

describe('alerts that resolve themselves', () => {
  it('leave the open list when the alert_resolved push comes, after their entry', () => {
    const store = synced([alert('c1:sla_breach', 3), alert('c2:sla_breach', 4)]);
    expect(store.openAlerts().map((a) => a.id)).toEqual(['c2:sla_breach', 'c1:sla_breach']);
    store.dispatch({ kind: 'alert_resolved', push: { seq: 9, id: 'c1:sla_breach', kind: 'sla_breach', call_id: 'c1', queue_id: 'medical_spanish', resolved_at: iso(T0 + 9000), resolution: 'answered' } });
    expect(store.openAlerts().map((a) => a.id)).toEqual(['c2:sla_breach']);
    expect(store.state.alerts.get('c1:sla_breach')?.resolution).toBe('answered');
    expect(store.callsWithOpenAlerts().has('c1')).toBe(false);
    expect(store.resumeSeq()).toBe(9);
  });

  it('is applied once: a replayed resolution (same position) is dropped', () => {
    const store = synced([alert('c1:sla_breach', 3)]);
    const push = { seq: 9, id: 'c1:sla_breach', kind: 'sla_breach' as const, call_id: 'c1', queue_id: null, resolved_at: iso(T0), resolution: 'ended' as const };
    store.dispatch({ kind: 'alert_resolved', push });
    store.dispatch({ kind: 'alert', alert: alert('c2:sla_breach', 8) }); // older position: dropped
    expect(store.state.alerts.has('c2:sla_breach')).toBe(false);
    store.dispatch({ kind: 'alert_resolved', push });
    expect(store.openAlerts()).toEqual([]);
  });

  it('waits for the snapshot like the other pushes, and a resolved alert from REST is not open', () => {
    const store = new Store();
    store.dispatch({ kind: 'alert_resolved', push: { seq: 9, id: 'c1:sla_breach', kind: 'sla_breach', call_id: 'c1', queue_id: null, resolved_at: iso(T0), resolution: 'answered' } });
    store.dispatch({ kind: 'snapshot', calls: [], alerts: [alert('c1:sla_breach', 3), { ...alert('c3:hold_exceeded', 5), resolved_at: iso(T0) }], queues: [], agents: [] });
    expect(store.openAlerts()).toEqual([]);
    expect(isOpen(alert('x:sla_breach', 1))).toBe(true);
  });

  it('an acknowledgement keeps its note', () => {
    const store = synced([alert('c1:sla_breach', 3)]);
    store.dispatch({ kind: 'alert_acked', alert: { ...alert('c1:sla_breach', 3), acked_at: iso(T0 + 5000), acked_by: 'key:1a2b3c4d', note: 'called back', ack_seq: 12 }, live: true });
    expect(store.recentlyAcked(5)[0]?.note).toBe('called back');
    expect(store.openAlerts()).toEqual([]);
  });
});

describe('the alerts panel logic', () => {
  const open = [alert('a:sla_breach', 9, 'medical_english'), alert('b:sla_breach', 8), alert('c:hold_exceeded', 7, 'medical_spanish', 'hold_exceeded'), alert('d:sla_breach', 6)];

  it('lists the queues with open alerts, most first', () => {
    expect(alertQueues(open)).toEqual([
      { queue: 'medical_spanish', count: 3 },
      { queue: 'medical_english', count: 1 },
    ]);
  });

  it('shows a queue`s alerts, and Ack all names exactly those shown, oldest first', () => {
    expect(shownAlerts(open, ALL_QUEUES)).toBe(open);
    const spanish = shownAlerts(open, 'medical_spanish');
    expect(spanish.map((a) => a.id)).toEqual(['b:sla_breach', 'c:hold_exceeded', 'd:sla_breach']);
    expect(bulkIds(spanish)).toEqual(['d:sla_breach', 'c:hold_exceeded', 'b:sla_breach']);
  });

  it('sends at most the server`s limit, the oldest', () => {
    const many = Array.from({ length: MAX_BULK + 5 }, (_, i) => alert(`c${i}:sla_breach`, MAX_BULK + 5 - i));
    const ids = bulkIds(many);
    expect(ids).toHaveLength(MAX_BULK);
    expect(ids[0]).toBe(`c${MAX_BULK + 4}:sla_breach`);
  });

  it('takes a trimmed note, none when empty, and refuses one too long', () => {
    expect(noteOf('  called back ')).toEqual({ note: 'called back', error: null });
    expect(noteOf('   ')).toEqual({ note: null, error: null });
    expect(noteOf('x'.repeat(MAX_NOTE)).error).toBeNull();
    expect(noteOf('x'.repeat(MAX_NOTE + 1)).error).toMatch(/longer than 500/);
  });
});

describe('after a reload', () => {
  it('the table`s last event comes from the Call JSON', () => {
    const store = synced([], [call('c1', { last_event_type: 'call_routed', last_event_time: iso(T0 + 2000) })]);
    expect(store.state.calls.get('c1')?.last).toEqual({ type: 'call_routed', at: iso(T0 + 2000), system: false });
  });

  it('the queue charts are seeded from the loaded calls instead of starting empty', () => {
    const now = T0 + SERIES_WINDOW_MS;
    const calls = [
      // waited from T0 + 60 s, answered at T0 + 80 s (within the 30 s SLA)
      call('a', { start_time: iso(T0 + 60_000), wait_start_time: iso(T0 + 60_000), answer_time: iso(T0 + 80_000), status: 'active' }),
      // waits from T0 + 100 s, still waiting
      call('b', { start_time: iso(T0 + 100_000), wait_start_time: iso(T0 + 100_000) }),
      // waited from T0 + 120 s, abandoned at T0 + 200 s
      call('c', { start_time: iso(T0 + 120_000), end_time: iso(T0 + 200_000), status: 'ended', flags: ['abandoned'] }),
      call('other', { queue_id: 'medical_english', start_time: iso(T0) }),
    ];
    const series = seedSeries(calls, [queue('medical_spanish', 1, 0.5), queue('legal_french')], now);
    const spanish = series.get('medical_spanish')!;
    expect(spanish).toHaveLength(SERIES_WINDOW_MS / SEED_STEP_MS);
    const at = (ms: number) => spanish.find((p) => p.t === T0 + ms)!;
    expect(at(30_000)).toEqual({ t: T0 + 30_000, waiting: 0, serviceLevel: null });
    expect(at(90_000).waiting).toBe(0); // a answered at 80 s, b not yet in
    expect(at(90_000).serviceLevel).toBe(1);
    expect(at(150_000).waiting).toBe(2); // b and c
    expect(at(210_000)).toEqual({ t: T0 + 210_000, waiting: 1, serviceLevel: 0.5 }); // c abandoned
    expect(spanish[spanish.length - 1]).toEqual({ t: now, waiting: 1, serviceLevel: 0.5 }); // the queue's own figures now
    expect(series.get('legal_french')!.every((p) => p.waiting === 0)).toBe(true);
  });

  it('the snapshot seeds the series when it says when it was loaded', () => {
    const store = new Store();
    const now = T0 + SERIES_WINDOW_MS;
    store.dispatch({ kind: 'snapshot', calls: [call('b', { start_time: iso(T0 + 100_000), wait_start_time: iso(T0 + 100_000) })], alerts: [], queues: [queue('medical_spanish', 1, null)], agents: [], at: now });
    const series = store.state.series.get('medical_spanish')!;
    expect(series.length).toBeGreaterThan(10);
    expect(series[series.length - 1]!.waiting).toBe(1);
  });
});
