/**
 * Signing in, the same on every page (the dashboard and the wall): a username and password become
 * a session token (`POST /api/session`), a key is used as it is; the credential is checked
 * (`GET /api/info`: an ingest-only key may post but not watch), kept in the tab's sessionStorage so
 * a reload stays signed in, the store is told who is signed in, and the socket is opened. Each page
 * loads its own snapshot when the socket says it is subscribed.
 */
import { Api, ApiError, secretOf } from './api';
import type { Credential } from './api';
import { connectSocket, refusedOriginMessage, type SocketLink } from './socket';
import type { Store } from './store';
import type { SignInRequest, SignInView } from './view/shell';

const KEY_STORAGE = 'switchboard.key';
/** A signed-in supervisor's session token, kept for this tab only like a key (the HttpOnly cookie is for the server alone). */
const TOKEN_STORAGE = 'switchboard.token';

export interface OpenSession {
  api: Api;
  link: SocketLink;
}

/** The credential this tab signed in with before a reload, if any. */
export function savedCredential(): Credential | null {
  const token = sessionStorage.getItem(TOKEN_STORAGE);
  if (token) return { kind: 'session', token };
  const key = sessionStorage.getItem(KEY_STORAGE);
  return key ? { kind: 'key', key } : null;
}

/**
 * What the address brought back from a sign-in through the identity provider (`/auth/oidc` ends at
 * `/#session=<token>`, or `/#signin_error=<why>`): taken once, and cleared from the address so the
 * token stays out of the history and of any link copied from the bar.
 */
export function arrivalFromAddress(): { credential: Credential | null; error: string | null } {
  const params = new URLSearchParams(location.hash.startsWith('#') ? location.hash.slice(1) : '');
  const token = params.get('session');
  const error = params.get('signin_error');
  if (token === null && error === null) return { credential: null, error: null };
  history.replaceState(null, '', location.pathname + location.search);
  return { credential: token ? { kind: 'session', token } : null, error };
}

/**
 * Offers the identity provider's sign-in when the server has one (`GET /auth/methods`); the
 * browser comes back to `returnTo` (this page) signed in.
 */
export async function offerIdentityProvider(form: SignInView, returnTo: '/' | '/wall'): Promise<void> {
  try {
    const res = await fetch('/auth/methods', { headers: { Accept: 'application/json' } });
    if (!res.ok) return;
    const methods = (await res.json()) as { oidc?: boolean; oidc_path?: string | null };
    if (methods.oidc && methods.oidc_path) form.offerProvider(`${methods.oidc_path}?return=${encodeURIComponent(returnTo)}`);
  } catch {
    // an older server, or none yet: the password form stands alone
  }
}

/** Signing out: the tab no longer holds a credential. */
export function forgetCredentials(): void {
  sessionStorage.removeItem(KEY_STORAGE);
  sessionStorage.removeItem(TOKEN_STORAGE);
}

/**
 * Signs in with what the form asked for (or a saved credential) and opens the socket; `onSubscribed`
 * runs after each fresh subscription (load the snapshot then). On failure the form says why, a
 * refused saved credential is forgotten, and the answer is null.
 */
export async function signIn(
  request: SignInRequest | Credential,
  form: SignInView,
  store: Store,
  onSubscribed: () => void,
): Promise<OpenSession | null> {
  form.busy(true);
  form.showMessage(null);
  let credential: Credential | null = null;
  try {
    credential = request.kind === 'user' ? { kind: 'session', token: (await Api.signIn(request.username, request.password)).token } : request;
    const api = new Api(credential);
    const info = await api.info();
    if (info.role === 'ingest') {
      throw new ApiError(403, 'This key has the ingest role: it may post events but not watch. Use a supervisor or admin key.');
    }
    const user = credential.kind === 'session' ? (await api.session()).username : null;
    const key = secretOf(credential);
    sessionStorage.setItem(storageOf(credential), key);
    const serverTime = info.server_time ? Date.parse(info.server_time) : NaN;
    store.dispatch({
      kind: 'signed_in',
      session: { key, user, role: info.role, socketPort: info.socket_port, clockOffsetMs: Number.isNaN(serverTime) ? 0 : serverTime - Date.now() },
    });
    const link = connectSocket({
      url: `${location.protocol}//${location.hostname}:${info.socket_port}`,
      key,
      store,
      onSubscribed,
      refusedOrigin: refusedOriginMessage(info),
    });
    return { api, link };
  } catch (e) {
    form.busy(false);
    if (credential && e instanceof ApiError && e.status === 401) sessionStorage.removeItem(storageOf(credential));
    form.showMessage(e instanceof Error ? e.message : String(e));
    return null;
  }
}

function storageOf(c: Credential): string {
  return c.kind === 'key' ? KEY_STORAGE : TOKEN_STORAGE;
}
