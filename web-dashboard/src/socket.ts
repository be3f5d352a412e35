/**
 * Socket.io: translates frames into store actions, and nothing else. It decides only what the
 * protocol needs — `subscribe` on a first connection, `resume {after_seq}` after a reconnect — and
 * tells the app when a fresh subscription wants a snapshot. It asks for `batch: true`: runs of
 * call events arrive as one `call_events` array (fewer messages for a busy center), applied in order.
 *
 * Websocket only, never HTTP long-polling: the whole session is one TCP connection, so a load
 * balancer in front of several cluster nodes needs no sticky sessions (a polling session's requests
 * must all reach the node that holds it). Every node pushes the same entries in the same seq order,
 * so a reconnect that lands on another node resumes just as well.
 */
import { io, type Socket } from 'socket.io-client';
import type { Store } from './store';
import type { Alert, AlertAckedPush, ClientToServer, Info, ServerToClient } from './wire';

/** Failed reconnection attempts before "reconnecting" becomes "offline". */
const OFFLINE_AFTER_ATTEMPTS = 3;

export interface SocketLink {
  close(): void;
}

export interface SocketOptions {
  url: string;
  key: string;
  store: Store;
  /** A new subscription is in place: load the snapshot, then dispatch it. */
  onSubscribed: () => void;
  /**
   * What to say when the connection fails because the server refuses this page's origin
   * ({@link refusedOriginMessage}); null when the server accepts it (or did not say).
   */
  refusedOrigin?: string | null;
}

/**
 * The message for a page whose origin the real-time server refuses, from `GET /api/info`'s
 * `socket_origin`; null when it is accepted or the server did not say. A refused handshake looks
 * to the page like a server that is down (the browser shows it no status), so this is the only way
 * to tell the supervisor what to change.
 */
export function refusedOriginMessage(info: Pick<Info, 'socket_origin'>): string | null {
  const o = info.socket_origin;
  if (!o || o.allowed !== false) return null;
  const origin = o.origin ?? 'of this page';
  return `The real-time server refused this page's origin ${origin}; add it to SWITCHBOARD_CORS_ORIGINS.`;
}

export function connectSocket({ url, key, store, onSubscribed, refusedOrigin = null }: SocketOptions): SocketLink {
  const socket: Socket<ServerToClient, ClientToServer> = io(url, {
    auth: { token: key },
    transports: ['websocket'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
    timeout: 8_000,
  });
  let failures = 0;
  let resumedFrom = 0;
  let closed = false;

  const subscribeAfresh = () => {
    store.dispatch({ kind: 'resync' });
    socket.emit('subscribe', { batch: true });
  };

  socket.on('connect', () => {
    failures = 0;
    store.dispatch({ kind: 'connection', state: 'live' });
    if (store.state.synced) {
      resumedFrom = store.resumeSeq();
      socket.emit('resume', { after_seq: resumedFrom, batch: true });
    } else {
      subscribeAfresh();
    }
  });

  socket.on('subscribed', (p) => {
    store.dispatch({ kind: 'subscribed', seq: p.seq });
    onSubscribed();
  });

  socket.on('resumed', (p) => {
    // a server whose history ends before ours (a new database) cannot replay what we miss: start over
    if (p.to_seq < resumedFrom) subscribeAfresh();
  });

  socket.on('call_event', (push) => store.dispatch({ kind: 'call_event', push }));
  socket.on('call_events', (pushes) => {
    for (const push of pushes) store.dispatch({ kind: 'call_event', push });
  });
  socket.on('alert', (alert) => store.dispatch({ kind: 'alert', alert }));
  socket.on('alert_acked', (p) => store.dispatch({ kind: 'alert_acked', alert: ackedAlert(p), live: true }));
  socket.on('alert_resolved', (push) => store.dispatch({ kind: 'alert_resolved', push }));
  socket.on('agent_event', (push) => store.dispatch({ kind: 'agent_event', push }));
  // any other push name has no handler here and is ignored: a newer server cannot break the feed
  socket.on('metrics', (push) => store.dispatch({ kind: 'metrics', push, at: Date.now() }));

  socket.on('error', (p) => {
    const message = typeof p?.message === 'string' ? p.message : 'the server reported an error';
    if (message.startsWith('unauthorized')) {
      signOut('This key may not watch the center: it needs the supervisor or admin role.');
    } else if (message.startsWith('resume')) {
      // the server could not replay what we missed: start over rather than show a gap
      subscribeAfresh();
    } else {
      store.dispatch({ kind: 'notice', tone: 'error', text: `Live updates: ${message}` });
    }
  });

  socket.on('connect_error', (err) => {
    if (closed) return;
    if (!socket.active) {
      // the server refused the handshake itself: socket.io will not retry
      signOut(
        err.message.startsWith('unauthorized')
          ? 'This key may not watch the center: it needs the supervisor or admin role.'
          : `The live connection was refused: ${err.message}`,
      );
      return;
    }
    failures++;
    if (refusedOrigin) {
      // not a server that is down: one that will refuse us until its setting changes (we keep retrying)
      store.dispatch({ kind: 'connection', state: 'offline', message: refusedOrigin });
      return;
    }
    store.dispatch(
      failures >= OFFLINE_AFTER_ATTEMPTS
        ? { kind: 'connection', state: 'offline', message: 'Lost the server. Retrying…' }
        : { kind: 'connection', state: 'reconnecting', message: 'Reconnecting…' },
    );
  });

  socket.on('disconnect', (reason) => {
    if (closed) return;
    if (reason === 'io server disconnect') {
      // the server closed us on purpose (bad key): it will not take us back by retrying
      signOut('The server closed the live connection. Sign in again.');
      return;
    }
    store.dispatch({ kind: 'connection', state: 'reconnecting', message: 'Connection lost. Reconnecting…' });
  });

  function signOut(message: string) {
    closed = true;
    socket.close();
    store.dispatch({ kind: 'signed_out', message });
  }

  return {
    close() {
      closed = true;
      socket.close();
    },
  };
}

/** `alert_acked` carries the alert itself (the server sends it bare; the contract names `{alert}`). */
function ackedAlert(p: Alert | AlertAckedPush): Alert {
  return 'alert' in p && typeof p.alert === 'object' ? p.alert : (p as Alert);
}
