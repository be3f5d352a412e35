import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Store } from './store';

/** A stand-in for socket.io-client's socket: the test fires its events. */
class FakeSocket {
  active = true;
  readonly handlers = new Map<string, (...args: unknown[]) => void>();
  on(event: string, handler: (...args: unknown[]) => void) {
    this.handlers.set(event, handler);
    return this;
  }
  emit() {
    return this;
  }
  close() {
    this.active = false;
  }
  fire(event: string, ...args: unknown[]) {
    this.handlers.get(event)?.(...args);
  }
}

let fake: FakeSocket;
/** The options of the last `io(url, options)` call. */
let opened: Record<string, unknown> | undefined;
vi.mock('socket.io-client', () => ({
  io: (_url: string, options: Record<string, unknown>) => {
    opened = options;
    return fake;
  },
}));

const { connectSocket, refusedOriginMessage } = await import('./socket');

function signedIn(): Store {
  const store = new Store();
  store.dispatch({ kind: 'signed_in', session: { key: 'k', user: null, role: 'supervisor', socketPort: 8081, clockOffsetMs: 0 } });
  return store;
}

describe('the connection', () => {
  beforeEach(() => {
    fake = new FakeSocket();
  });

  it('uses the websocket transport only, so a load balancer over cluster nodes needs no sticky sessions', () => {
    connectSocket({ url: 'http://x:8081', key: 'k', store: signedIn(), onSubscribed: () => undefined });
    expect(opened).toMatchObject({ auth: { token: 'k' }, transports: ['websocket'] });
  });
});

describe('a refused origin', () => {
  beforeEach(() => {
    fake = new FakeSocket();
  });

  it('is named, with the setting that allows it, when the server says it refuses it', () => {
    expect(refusedOriginMessage({ socket_origin: { origin: 'http://x:8080', allowed: false } })).toBe(
      "The real-time server refused this page's origin http://x:8080; add it to SWITCHBOARD_CORS_ORIGINS.",
    );
    expect(refusedOriginMessage({ socket_origin: { origin: 'http://x:8080', allowed: true } })).toBeNull();
    expect(refusedOriginMessage({})).toBeNull(); // an older server says nothing
  });

  it('replaces the generic "Lost the server" from the first failed handshake', () => {
    const store = signedIn();
    const message = refusedOriginMessage({ socket_origin: { origin: 'http://x:8080', allowed: false } });
    connectSocket({ url: 'http://x:8081', key: 'k', store, onSubscribed: () => undefined, refusedOrigin: message });
    fake.fire('connect_error', new Error('websocket error'));
    expect(store.state.connection).toBe('offline');
    expect(store.state.connectionMessage).toBe(message);
    for (let i = 0; i < 3; i++) fake.fire('connect_error', new Error('websocket error'));
    expect(store.state.connectionMessage).toBe(message);
    expect(store.state.session).not.toBeNull(); // not a key problem: still signed in, still retrying
    fake.fire('connect');
    expect(store.state.connection).toBe('live');
  });

  it('leaves a server that is merely unreachable as before', () => {
    const store = signedIn();
    connectSocket({ url: 'http://x:8081', key: 'k', store, onSubscribed: () => undefined, refusedOrigin: null });
    fake.fire('connect_error', new Error('websocket error'));
    expect(store.state.connection).toBe('reconnecting');
    fake.fire('connect_error', new Error('websocket error'));
    fake.fire('connect_error', new Error('websocket error'));
    expect(store.state.connection).toBe('offline');
    expect(store.state.connectionMessage).toBe('Lost the server. Retrying…');
  });
});

describe('pushes of the ordered log, translated', () => {
  beforeEach(() => {
    fake = new FakeSocket();
  });

  function liveStore(): Store {
    const store = signedIn();
    connectSocket({ url: 'http://x:8081', key: 'k', store, onSubscribed: () => undefined });
    fake.fire('connect');
    const agent = {
      id: 'ana', queues: ['q'], state: 'on_break' as const, state_since: '2026-11-24T10:00:00Z', current_call_id: null,
      offered: 3, answered: 0, missed: 3, consecutive_misses: 3, handled: 0, talk_time: 0, hold_time: 0, average_handle_time: null,
      presence: 'not_ready' as const, reason: 'missed_calls', since: '2026-11-24T10:00:00Z', logged_in_since: '2026-11-24T08:00:00Z',
      wrap_up_time: 0, logged_in_time: 7200, not_ready_time: 0, not_ready_by_reason: {}, occupancy: 0,
    };
    store.dispatch({ kind: 'snapshot', calls: [], alerts: [], queues: [], agents: [agent] });
    return store;
  }

  const alertJson = { seq: 4, id: 'a4', kind: 'sla_breach', call_id: 'c1', queue_id: 'q', agent_id: null, at: '2026-11-24T10:00:04Z', message: 'm', acked_at: null };
  const callJson = { id: 'c1', type: 'voice', status: 'waiting', queue_id: 'q', agent_id: null, start_time: '2026-11-24T10:00:00Z', answer_time: null, end_time: null, wait_time: null, duration: null, end_reason: null, flags: [] };
  const ackEntry = { id: 'sup-9', call_id: 'c1', type: 'alert_acked', timestamp: '2026-11-24T10:03:12Z', metadata: { source: 'supervisor', alert_id: 'a4', kind: 'sla_breach', by: 'key:1a2b3c4d', role: 'supervisor' }, seq: 9 };

  it('agent_event applies agent_available and advances the resume point; the same push twice applies once', () => {
    const store = liveStore();
    const push = { seq: 12, event: { id: 'sup-12', call_id: null, type: 'agent_available', timestamp: '2026-11-24T10:05:00Z', metadata: { source: 'supervisor', agent_id: 'ana', by: 'key:1a2b3c4d', role: 'supervisor' }, seq: 12 } };
    fake.fire('agent_event', push);
    expect(store.state.agents.get('ana')).toMatchObject({ state: 'available', state_since: '2026-11-24T10:05:00Z', consecutive_misses: 0 });
    expect(store.resumeSeq()).toBe(11);
    store.state.agents.set('ana', { ...store.state.agents.get('ana')!, state: 'ringing' });
    fake.fire('agent_event', push);
    expect(store.state.agents.get('ana')?.state).toBe('ringing');
  });

  it('the alert_acked entry in a call_events batch, then the alert_acked push: acked_by kept, seq advanced', () => {
    const store = liveStore();
    fake.fire('call_events', [{ seq: 4, event: { ...ackEntry, id: 'e4', type: 'alert_raised', metadata: { source: 'system' }, seq: 4 }, call: callJson }]);
    fake.fire('alert', alertJson);
    fake.fire('call_events', [{ seq: 9, event: ackEntry, call: callJson }]);
    expect(store.resumeSeq()).toBe(8);
    fake.fire('alert_acked', { ...alertJson, acked_at: '2026-11-24T10:03:12Z', acked_by: 'key:1a2b3c4d', ack_seq: 9 });
    expect(store.resumeSeq()).toBe(9);
    expect(store.state.alerts.get('a4')).toMatchObject({ seq: 4, acked_by: 'key:1a2b3c4d' });
    expect(store.openAlerts()).toEqual([]);
  });

  it('a push name it does not know is ignored, and the feed goes on', () => {
    const store = liveStore();
    fake.fire('queue_renamed', { seq: 20, whatever: true });
    expect(fake.handlers.has('queue_renamed')).toBe(false);
    fake.fire('call_event', { seq: 21, event: { ...ackEntry, type: 'call_initiated', metadata: { source: 'external' }, seq: 21 }, call: callJson });
    expect(store.state.calls.has('c1')).toBe(true);
    expect(store.resumeSeq()).toBe(20);
  });
});
