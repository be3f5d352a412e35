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
vi.mock('socket.io-client', () => ({ io: () => fake }));

const { connectSocket, refusedOriginMessage } = await import('./socket');

function signedIn(): Store {
  const store = new Store();
  store.dispatch({ kind: 'signed_in', session: { key: 'k', role: 'supervisor', socketPort: 8081, clockOffsetMs: 0 } });
  return store;
}

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
    fake.fire('connect_error', new Error('xhr poll error'));
    expect(store.state.connection).toBe('offline');
    expect(store.state.connectionMessage).toBe(message);
    for (let i = 0; i < 3; i++) fake.fire('connect_error', new Error('xhr poll error'));
    expect(store.state.connectionMessage).toBe(message);
    expect(store.state.session).not.toBeNull(); // not a key problem: still signed in, still retrying
    fake.fire('connect');
    expect(store.state.connection).toBe('live');
  });

  it('leaves a server that is merely unreachable as before', () => {
    const store = signedIn();
    connectSocket({ url: 'http://x:8081', key: 'k', store, onSubscribed: () => undefined, refusedOrigin: null });
    fake.fire('connect_error', new Error('xhr poll error'));
    expect(store.state.connection).toBe('reconnecting');
    fake.fire('connect_error', new Error('xhr poll error'));
    fake.fire('connect_error', new Error('xhr poll error'));
    expect(store.state.connection).toBe('offline');
    expect(store.state.connectionMessage).toBe('Lost the server. Retrying…');
  });
});
