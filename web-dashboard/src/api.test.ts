import { describe, expect, it } from 'vitest';
import { Api, ApiError } from './api';

interface Sent {
  url: string;
  init: RequestInit;
}

function fakeFetch(status: number, body: unknown, headers: Record<string, string> = {}): { fetch: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  const fn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push({ url: String(input), init: init ?? {} });
    return new Response(body === null ? null : JSON.stringify(body), { status, headers });
  }) as typeof fetch;
  return { fetch: fn, sent };
}

function header(s: Sent, name: string): string | undefined {
  return (s.init.headers as Record<string, string>)[name];
}

describe('Api credentials', () => {
  it('sends a key as X-API-Key and a session token as Bearer, never both', async () => {
    const keyed = fakeFetch(200, []);
    await new Api({ kind: 'key', key: 'k-0123456789abcdef' }, { fetch: keyed.fetch }).queues();
    expect(header(keyed.sent[0]!, 'X-API-Key')).toBe('k-0123456789abcdef');
    expect(header(keyed.sent[0]!, 'Authorization')).toBeUndefined();

    const session = fakeFetch(200, []);
    await new Api({ kind: 'session', token: 'sbs_abc' }, { fetch: session.fetch }).queues();
    expect(header(session.sent[0]!, 'Authorization')).toBe('Bearer sbs_abc');
    expect(header(session.sent[0]!, 'X-API-Key')).toBeUndefined();
  });

  it('signs in with a username and password, and says why a sign-in was refused', async () => {
    const ok = fakeFetch(200, { token: 'sbs_t', expires_at: '2026-12-03T12:00:00Z', user: { username: 'ana', role: 'supervisor' } });
    const reply = await Api.signIn('ana', 'correct horse battery', { fetch: ok.fetch });
    expect(reply.user.username).toBe('ana');
    expect(ok.sent[0]!.url).toBe('/api/session');
    expect(ok.sent[0]!.init.method).toBe('POST');
    expect(JSON.parse(String(ok.sent[0]!.init.body))).toEqual({ username: 'ana', password: 'correct horse battery' });

    const wrong = fakeFetch(401, { status: 401, detail: 'wrong username or password' });
    await expect(Api.signIn('ana', 'nope', { fetch: wrong.fetch })).rejects.toThrow('Wrong username or password.');

    const throttled = fakeFetch(429, { status: 429, detail: 'too many' }, { 'Retry-After': '600' });
    const e = await Api.signIn('ana', 'nope', { fetch: throttled.fetch }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(429);
    expect((e as ApiError).message).toBe('Too many failed sign-ins. Try again in 10 min.');

    const disabled = fakeFetch(403, { status: 403, detail: 'this account is disabled: ask an admin' });
    await expect(Api.signIn('ana', 'correct horse battery', { fetch: disabled.fetch })).rejects.toThrow('this account is disabled: ask an admin');
  });

  it('an ended session reads as such, not as a wrong key', async () => {
    const ended = fakeFetch(401, { status: 401, detail: 'the session has ended' });
    await expect(new Api({ kind: 'session', token: 'sbs_old' }, { fetch: ended.fetch }).queues()).rejects.toThrow('Your session has ended. Sign in again.');
    const sessionOut = fakeFetch(204, null);
    await new Api({ kind: 'session', token: 'sbs_t' }, { fetch: sessionOut.fetch }).signOut();
    expect(sessionOut.sent[0]!.init.method).toBe('DELETE');
    expect(sessionOut.sent[0]!.url).toBe('/api/session');
  });
});
