/**
 * The REST client: every `/api` call the dashboard makes, with the credential: an API key in
 * `X-API-Key`, or a named supervisor's session token as `Authorization: Bearer`. Failures
 * become {@link ApiError}s whose message a person can read (the problem+json `detail` when the
 * server sent one); status 0 means the server could not be reached.
 */
import type {
  Agent,
  AgentReport,
  Alert,
  BulkAckReply,
  BulkAckRequest,
  BatchReply,
  Call,
  CallEvent,
  CallPage,
  CenterMetrics,
  EventReply,
  Info,
  IntervalReport,
  OutgoingEvent,
  PresenceRequest,
  Problem,
  Queue,
  ReportPage,
  SessionReply,
  SessionUser,
  Traffic,
  TrafficRequest,
} from './wire';

/** Who the dashboard is: an API key (integrations, tests) or a signed-in supervisor's session token. */
export type Credential = { kind: 'key'; key: string } | { kind: 'session'; token: string };

/** The secret a credential carries (also the Socket.io `auth.token`). */
export function secretOf(c: Credential): string {
  return c.kind === 'key' ? c.key : c.token;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problem: Problem | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The server is gone (no HTTP answer at all). */
  get unreachable(): boolean {
    return this.status === 0;
  }
}

/** Most calls one page of `GET /api/calls` may hold (the server's MAX_LIMIT). */
export const PAGE_LIMIT = 500;

export interface ApiOptions {
  /** "" for the page's own origin */
  baseUrl?: string;
  fetch?: typeof fetch;
}

export class Api {
  private readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;

  constructor(
    private readonly credential: Credential,
    options: ApiOptions = {},
  ) {
    this.baseUrl = options.baseUrl ?? '';
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /**
   * `POST /api/session`: signs a named supervisor in; the reply's token is the credential of the
   * {@link Api} to use from then on. Wrong names and passwords, disabled accounts and throttled
   * attempts become {@link ApiError}s that say so.
   */
  static async signIn(username: string, password: string, options: ApiOptions = {}): Promise<SessionReply> {
    const fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    let res: Response;
    try {
      res = await fetchFn((options.baseUrl ?? '') + '/api/session', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ username, password }),
      });
    } catch {
      throw new ApiError(0, 'Cannot reach the Switchboard server. Is it running?');
    }
    const json = parseJson(await res.text());
    if (res.ok) return json as SessionReply;
    const problem = json && typeof json === 'object' ? (json as Problem) : null;
    switch (res.status) {
      case 401:
        throw new ApiError(401, 'Wrong username or password.', problem);
      case 429: {
        const wait = Number(res.headers.get('Retry-After') ?? '');
        const minutes = Number.isFinite(wait) && wait > 0 ? Math.ceil(wait / 60) : null;
        throw new ApiError(429, `Too many failed sign-ins. Try again${minutes ? ` in ${minutes} min` : ' later'}.`, problem);
      }
      default:
        throw errorOf(res.status, json, 'session');
    }
  }

  /** `GET /api/session`: the signed-in user of a session credential. */
  async session(): Promise<SessionUser> {
    const body: { user: SessionUser } = await this.request('GET', '/api/session');
    return body.user;
  }

  /** `DELETE /api/session`: ends the session (a session credential only). */
  async signOut(): Promise<void> {
    const res = await this.send('DELETE', '/api/session', undefined, 'application/json');
    if (!res.ok && res.status !== 401) throw errorOf(res.status, parseJson(await res.text()), this.credential.kind);
  }

  info(): Promise<Info> {
    return this.request('GET', '/api/info');
  }

  /** Every call matching `query`, page after page (newest first), up to `maxPages` pages. */
  async calls(query: { status?: string; queue?: string; agent?: string }, maxPages: number): Promise<Call[]> {
    const out: Call[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < maxPages; page++) {
      const p = new URLSearchParams({ limit: String(PAGE_LIMIT) });
      if (query.status) p.set('status', query.status);
      if (query.queue) p.set('queue', query.queue);
      if (query.agent) p.set('agent', query.agent);
      if (cursor) p.set('cursor', cursor);
      const body: CallPage = await this.request('GET', `/api/calls?${p.toString()}`);
      out.push(...body.items);
      cursor = body.next_cursor;
      if (!cursor) break;
    }
    return out;
  }

  call(id: string): Promise<Call> {
    return this.request('GET', `/api/calls/${encodeURIComponent(id)}`);
  }

  callEvents(id: string): Promise<CallEvent[]> {
    return this.request('GET', `/api/calls/${encodeURIComponent(id)}/events`);
  }

  queues(): Promise<Queue[]> {
    return this.request('GET', '/api/queues');
  }

  agents(): Promise<Agent[]> {
    return this.request('GET', '/api/agents');
  }

  openAlerts(): Promise<Alert[]> {
    return this.request('GET', '/api/alerts?open=true');
  }

  /** The newest alerts, open or acknowledged (with who acknowledged them). */
  recentAlerts(limit: number): Promise<Alert[]> {
    return this.request('GET', `/api/alerts?limit=${limit}`);
  }

  ackAlert(id: string, note?: string): Promise<Alert> {
    return this.request('POST', `/api/alerts/${encodeURIComponent(id)}/ack`, note ? { note } : undefined);
  }

  /** Acknowledges many alerts at once (`POST /api/alerts/ack`). */
  ackAlerts(body: BulkAckRequest): Promise<BulkAckReply> {
    return this.request('POST', '/api/alerts/ack', body);
  }

  agentAvailable(id: string): Promise<Agent> {
    return this.request('POST', `/api/agents/${encodeURIComponent(id)}/available`);
  }

  /** Sets an agent's presence (available, not ready with a reason, logged out); answers the agent. */
  setPresence(id: string, presence: PresenceRequest): Promise<Agent> {
    return this.request('POST', `/api/agents/${encodeURIComponent(id)}/presence`, presence);
  }

  /** The whole center's figures for today. */
  center(): Promise<CenterMetrics> {
    return this.request('GET', '/api/center');
  }

  /** `GET /api/reports/intervals?…` (the query built by `reportQueryString`). */
  intervalsReport(query: string): Promise<ReportPage<IntervalReport>> {
    return this.request('GET', `/api/reports/intervals?${query}`);
  }

  /** `GET /api/reports/agents?…` */
  agentsReport(query: string): Promise<ReportPage<AgentReport>> {
    return this.request('GET', `/api/reports/agents?${query}`);
  }

  /** A report as CSV (`format=csv` in the query): the file's text, for the page to save. */
  async reportCsv(path: string): Promise<string> {
    const res = await this.send('GET', path, undefined, 'text/csv');
    const text = await res.text();
    if (!res.ok) throw errorOf(res.status, parseJson(text), this.credential.kind);
    return text;
  }

  /** The server's traffic generator, running or not (`GET /api/traffic`). */
  traffic(): Promise<Traffic> {
    return this.request('GET', '/api/traffic');
  }

  /** Starts the server's traffic generator, or changes the running one (admin). */
  startTraffic(body: TrafficRequest): Promise<Traffic> {
    return this.request('POST', '/api/traffic', body);
  }

  /** Stops it; the server ends the calls it was playing (admin). */
  stopTraffic(): Promise<Traffic> {
    return this.request('DELETE', '/api/traffic');
  }

  /** One event; a 503 is retried once with the same `event_id` after its Retry-After. */
  postEvent(event: OutgoingEvent): Promise<EventReply> {
    return this.request('POST', '/api/events', event, 1);
  }

  /** Several events in one request; each has its own result (201/200 or a problem). */
  postEvents(events: OutgoingEvent[]): Promise<BatchReply> {
    return this.request('POST', '/api/events', events, 1);
  }

  private async request<T>(method: string, path: string, body?: unknown, retries = 0): Promise<T> {
    const res = await this.send(method, path, body, 'application/json');
    if (res.status === 503 && retries > 0) {
      const wait = Number(res.headers.get('Retry-After') ?? '1');
      await new Promise((r) => setTimeout(r, Math.min(5, Number.isFinite(wait) ? wait : 1) * 1000));
      return this.request(method, path, body, retries - 1);
    }
    const json = parseJson(await res.text());
    if (!res.ok) throw errorOf(res.status, json, this.credential.kind);
    return json as T;
  }

  private async send(method: string, path: string, body: unknown, accept: string): Promise<Response> {
    const headers: Record<string, string> =
      this.credential.kind === 'key' ? { 'X-API-Key': this.credential.key, Accept: accept } : { Authorization: `Bearer ${this.credential.token}`, Accept: accept };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    try {
      return await this.fetchFn(this.baseUrl + path, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiError(0, 'Cannot reach the Switchboard server. Is it running?');
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

function errorOf(status: number, json: unknown, kind: Credential['kind']): ApiError {
  const problem = json && typeof json === 'object' ? (json as Problem) : null;
  const detail = problem?.detail ?? problem?.title;
  switch (status) {
    case 401:
      return new ApiError(status, kind === 'key' ? 'That key was not accepted. Check it and try again.' : 'Your session has ended. Sign in again.', problem);
    case 403:
      return new ApiError(status, detail ?? (kind === 'key' ? 'This key may not do that.' : 'Your role may not do that.'), problem);
    case 400: {
      // name what was wrong: "from: not a date or an instant"
      const fields = (problem?.errors ?? []).map((e) => (e.field ? `${e.field}: ${e.message}` : e.message));
      const said = detail && fields.length > 0 && fields.every((f) => detail.includes(f)) ? [] : fields;
      return new ApiError(status, [detail ?? 'The server refused the request.', ...said].join(' — '), problem);
    }
    default:
      return new ApiError(status, detail ?? `The server answered ${status}.`, problem);
  }
}
