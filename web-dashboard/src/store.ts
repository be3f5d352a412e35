/**
 * The dashboard's one store: every piece of state the views show, changed only by
 * {@link Store.dispatch}. The socket module, the REST loaders and the controls all speak to it in
 * {@link Action}s; the views read {@link Store.state} and the changes since their last frame.
 *
 * Invariants kept here, and only here:
 * - A push is applied at most once. Each push has a position `seq * 2` (`+ 1` for the alert of an
 *   `alert_raised` entry, or the `alert_acked` of an `alert_acked` entry, which share its seq) — the
 *   same order the server keeps per client — and anything at or below the highest position applied
 *   is dropped. Every push of the ordered log takes part: `call_event`, `alert`, `alert_acked` (at
 *   its `ack_seq`), `alert_resolved` (at `seq * 2 + 1` of its entry) and `agent_event`; a push of a kind the store does not know never reaches it. After a reconnect the client asks
 *   for `resume {after_seq: resumeSeq()}`: the replay overlaps by at most one entry and the overlap
 *   is dropped here.
 * - One row per call id: a push carries the call's whole state after the event; it replaces the
 *   row (upsert), it never adds a second one.
 * - Until the first snapshot (REST) is in, pushes are buffered, then applied over it in order, so
 *   the table never misses what happened between `subscribe` and the snapshot.
 *
 * State is mutated in place for speed (5,000 rows at 200 events/s); {@link Changes} tells the
 * views what to redraw. Time is always passed in, never read, so the reducers are deterministic.
 */
import type {
  Agent,
  AgentEventPush,
  AgentReport,
  AgentState,
  Alert,
  AlertResolvedPush,
  Call,
  CallEvent,
  CallEventPush,
  CallStatus,
  CenterMetrics,
  IntervalReport,
  MetricsPush,
  Presence,
  Queue,
  Role,
  Traffic,
} from './wire';
import { CALL_STATUSES, PRESENCES } from './wire';
import type { ReportQuery, ViewId } from './reports';
import { DEFAULT_INTERVAL } from './reports';

export type ConnectionState = 'signed_out' | 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface Session {
  /** the API key, or the signed-in supervisor's session token: what Socket.io's `auth.token` carries */
  key: string;
  /** the signed-in supervisor's username; null when signed in with an API key */
  user: string | null;
  role: Role;
  socketPort: number;
  /** server clock minus browser clock, ms: ticking times use the server's clock */
  clockOffsetMs: number;
}

export interface Filters {
  /** empty = every status */
  status: CallStatus[];
  queue: string;
  agent: string;
  /** part of a call id, any case */
  search: string;
}

export const SORT_COLUMNS = ['id', 'type', 'queue', 'agent', 'status', 'time', 'flags', 'last_event'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export interface Sort {
  column: SortColumn;
  dir: 'asc' | 'desc';
}

export const DEFAULT_SORT: Sort = { column: 'status', dir: 'asc' };
export const NO_FILTERS: Filters = { status: [], queue: '', agent: '', search: '' };

/** The last thing that happened to a call, for the table's "last event" column. */
export interface LastEvent {
  /** null when the row came from the REST snapshot (which has the time, not the type) */
  type: string | null;
  at: string | null;
  system: boolean;
}

export interface CallRow {
  call: Call;
  last: LastEvent;
}

export interface History {
  callId: string;
  loading: boolean;
  error: string | null;
  /** in seq order, no two with the same seq */
  events: CallEvent[];
}

/** One metrics sample of a queue, for the chart. */
export interface QueueSample {
  /** ms, browser clock */
  t: number;
  waiting: number;
  /** 0..1 or null before the first answer */
  serviceLevel: number | null;
}

export interface Notice {
  id: number;
  tone: 'info' | 'error';
  text: string;
}

/** The server's traffic generator, as last asked (`GET /api/traffic`). */
export interface TrafficState {
  /** null until the server has answered */
  status: Traffic | null;
  /** why the last ask failed (null when it did not) */
  error: string | null;
  /** a start or stop is on its way */
  busy: boolean;
}

/** The Reports view: what was asked, and what the server answered. */
export interface ReportState {
  query: ReportQuery;
  status: 'idle' | 'loading' | 'loaded' | 'failed';
  /** why the intervals could not be loaded (a 400's message, "no reports on this server") */
  error: string | null;
  /** the query the data below answers */
  loaded: ReportQuery | null;
  /** one per interval and queue, for the chosen interval (and queue) */
  items: IntervalReport[];
  /** one per queue for the whole day (interval P1D, every queue) */
  daily: IntervalReport[];
  agents: AgentReport[];
  /** the agents' report may fail on its own */
  agentsError: string | null;
  /** the last CSV download: busy, or what became of it */
  download: { busy: boolean; tone: 'info' | 'error'; text: string } | null;
}

export interface State {
  session: Session | null;
  view: ViewId;
  connection: ConnectionState;
  /** why we are signed out / offline, shown to the user */
  connectionMessage: string | null;
  /** highest push position applied (seq * 2, + 1 for an alert) */
  lastPos: number;
  /** the first snapshot is in: pushes apply directly */
  synced: boolean;
  calls: Map<string, CallRow>;
  alerts: Map<string, Alert>;
  queues: Map<string, Queue>;
  agents: Map<string, Agent>;
  /** the whole center's figures for today (null until the server sends them) */
  center: CenterMetrics | null;
  series: Map<string, QueueSample[]>;
  filters: Filters;
  sort: Sort;
  selectedCallId: string | null;
  history: History | null;
  notices: Notice[];
  traffic: TrafficState;
  report: ReportState;
}

/** What changed since the views last looked ({@link Store.takeChanges}). */
export interface Changes {
  /** rows whose content changed (added or updated) */
  calls: Set<string>;
  /** rows that left the store */
  removed: Set<string>;
  /** the set or order of visible rows may have changed */
  order: boolean;
  alerts: boolean;
  /** alerts that arrived live since the last look (to draw the eye) */
  newAlerts: string[];
  metrics: boolean;
  history: boolean;
  session: boolean;
  filters: boolean;
  notices: boolean;
  traffic: boolean;
  /** the live view or the reports view was switched to */
  view: boolean;
  report: boolean;
}

export type Action =
  | { kind: 'signed_in'; session: Session }
  | { kind: 'signed_out'; message?: string | null }
  | { kind: 'connection'; state: ConnectionState; message?: string | null }
  | { kind: 'subscribed'; seq: number }
  /** `at`: when it was loaded (ms, browser clock): the queue charts are seeded from its calls back to then */
  | { kind: 'snapshot'; calls: Call[]; alerts: Alert[]; queues: Queue[]; agents: Agent[]; center?: CenterMetrics | null; at?: number }
  | { kind: 'resync' }
  | { kind: 'call_event'; push: CallEventPush }
  | { kind: 'alert'; alert: Alert }
  /** `live`: the `alert_acked` push (placed by its `ack_seq`); else a REST reply, which moves no position */
  | { kind: 'alert_acked'; alert: Alert; live: boolean }
  | { kind: 'alert_resolved'; push: AlertResolvedPush }
  | { kind: 'agent_event'; push: AgentEventPush }
  | { kind: 'metrics'; push: MetricsPush; at: number }
  | { kind: 'filters'; filters: Partial<Filters> }
  | { kind: 'sort'; column: SortColumn; dir?: 'asc' | 'desc' }
  | { kind: 'select'; callId: string | null }
  | { kind: 'history_loaded'; callId: string; events: CallEvent[] }
  | { kind: 'history_failed'; callId: string; message: string }
  | { kind: 'call_loaded'; call: Call }
  | { kind: 'notice'; tone: Notice['tone']; text: string }
  | { kind: 'dismiss_notice'; id: number }
  | { kind: 'traffic'; status: Traffic }
  | { kind: 'traffic_failed'; message: string }
  | { kind: 'traffic_busy'; busy: boolean }
  | { kind: 'view'; view: ViewId }
  | { kind: 'report_query'; query: ReportQuery }
  | { kind: 'report_loading'; query: ReportQuery }
  | { kind: 'report_loaded'; query: ReportQuery; items: IntervalReport[]; daily: IntervalReport[]; agents: AgentReport[]; agentsError: string | null }
  | { kind: 'report_failed'; query: ReportQuery; message: string }
  | { kind: 'report_download'; busy: boolean; tone?: 'info' | 'error'; text?: string };

/** Ended calls kept in the table; older ones leave it (the live ones always stay). */
export const MAX_ENDED_CALLS = 2_000;
/** How far back the chart looks. */
export const SERIES_WINDOW_MS = 10 * 60_000;
/** Notices shown at once. */
const MAX_NOTICES = 4;

/** An alert a supervisor still has to look at: not acknowledged, and not resolved by itself. */
export function isOpen(a: Alert): boolean {
  return a.acked_at === null && !a.resolved_at;
}

/** The spacing of the samples a chart is seeded with at load. */
export const SEED_STEP_MS = 30_000;

/**
 * The queue charts' samples for the {@link SERIES_WINDOW_MS} before `now`, from the calls loaded
 * (live ones and the recent ended ones): at each step, the calls of the queue waiting then (started
 * or transferred in, not yet answered or ended), and the service level of the calls settled by
 * then (answered within the queue's SLA ÷ answered + abandoned). An estimate: a call that left the
 * queue by a transfer counts in the queue it is in now, and only loaded calls count. The last
 * sample is the queue's own figures now.
 */
export function seedSeries(calls: Call[], queues: Queue[], now: number, stepMs = SEED_STEP_MS): Map<string, QueueSample[]> {
  const out = new Map<string, QueueSample[]>();
  const from = now - SERIES_WINDOW_MS;
  for (const q of queues) {
    const slaMs = (q.thresholds?.sla_max_wait ?? 30) * 1000;
    const own = calls.filter((c) => c.queue_id === q.id);
    const samples: QueueSample[] = [];
    for (let t = from + stepMs; t < now; t += stepMs) {
      let waiting = 0;
      let within = 0;
      let settled = 0;
      for (const c of own) {
        const waitFrom = timeOf(c.wait_start_time ?? c.start_time);
        const answered = c.answer_time ? timeOf(c.answer_time) : Number.POSITIVE_INFINITY;
        const ended = c.end_time ? timeOf(c.end_time) : Number.POSITIVE_INFINITY;
        if (timeOf(c.start_time) <= t && waitFrom <= t && t < Math.min(answered, ended)) waiting++;
        if (answered <= t) {
          settled++;
          if (answered - timeOf(c.start_time) <= slaMs) within++;
        } else if (ended <= t && c.flags.includes('abandoned')) settled++;
      }
      samples.push({ t, waiting, serviceLevel: settled === 0 ? null : within / settled });
    }
    samples.push({ t: now, waiting: q.metrics.waiting_now, serviceLevel: q.metrics.service_level });
    out.set(q.id, samples);
  }
  return out;
}

export function pushPosition(seq: number, isAlert: boolean): number {
  return seq * 2 + (isAlert ? 1 : 0);
}

function emptyChanges(): Changes {
  return {
    calls: new Set(),
    removed: new Set(),
    order: false,
    alerts: false,
    newAlerts: [],
    metrics: false,
    history: false,
    session: false,
    filters: false,
    notices: false,
    traffic: false,
    view: false,
    report: false,
  };
}

export function initialState(filters: Filters = NO_FILTERS, sort: Sort = DEFAULT_SORT, today = '1970-01-01'): State {
  return {
    session: null,
    view: 'live',
    connection: 'signed_out',
    connectionMessage: null,
    lastPos: 0,
    synced: false,
    calls: new Map(),
    alerts: new Map(),
    queues: new Map(),
    agents: new Map(),
    center: null,
    series: new Map(),
    filters: { ...filters, status: [...filters.status] },
    sort: { ...sort },
    selectedCallId: null,
    history: null,
    notices: [],
    traffic: { status: null, error: null, busy: false },
    report: emptyReport({ day: today, interval: DEFAULT_INTERVAL, queue: '' }),
  };
}

function emptyReport(query: ReportQuery): ReportState {
  return { query, status: 'idle', error: null, loaded: null, items: [], daily: [], agents: [], agentsError: null, download: null };
}

export function sameQuery(a: ReportQuery | null, b: ReportQuery | null): boolean {
  return a !== null && b !== null && a.day === b.day && a.interval === b.interval && a.queue === b.queue;
}

type Pending =
  | { kind: 'call_event'; push: CallEventPush }
  | { kind: 'alert'; alert: Alert }
  | { kind: 'alert_acked'; alert: Alert; live: true }
  | { kind: 'alert_resolved'; push: AlertResolvedPush }
  | { kind: 'agent_event'; push: AgentEventPush };

export class Store {
  readonly state: State;
  private changes: Changes = emptyChanges();
  private readonly listeners = new Set<() => void>();
  /** pushes that arrived before the first snapshot */
  private pending: Pending[] = [];
  private visible: string[] | null = null;
  private orderVersionCount = 0;
  private alertedCalls: Set<string> | null = null;
  private openAlertList: Alert[] | null = null;
  private ackedAlertList: Alert[] | null = null;
  private endedCount = 0;
  private noticeIds = 0;

  constructor(state: State = initialState()) {
    this.state = state;
  }

  /** Called after every dispatch (the app schedules one render per animation frame). */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The changes since the last call, and a clean slate. */
  takeChanges(): Changes {
    const c = this.changes;
    this.changes = emptyChanges();
    return c;
  }

  dispatch(action: Action): void {
    this.reduce(action);
    for (const l of this.listeners) l();
  }

  /** The `after_seq` to resume from after a reconnect: nothing applied is lost, at most one entry is replayed. */
  resumeSeq(): number {
    return Math.max(0, Math.floor((this.state.lastPos - 1) / 2));
  }

  private reduce(a: Action): void {
    const s = this.state;
    const ch = this.changes;
    switch (a.kind) {
      case 'signed_in':
        s.session = a.session;
        s.connection = 'connecting';
        s.connectionMessage = null;
        ch.session = true;
        return;
      case 'signed_out':
        this.reset();
        s.session = null;
        s.connection = 'signed_out';
        s.connectionMessage = a.message ?? null;
        s.selectedCallId = null;
        s.history = null;
        s.queues.clear();
        s.agents.clear();
        s.center = null;
        s.series.clear();
        s.report = emptyReport(s.report.query);
        ch.report = true;
        s.traffic = { status: null, error: null, busy: false };
        ch.session = true;
        ch.traffic = true;
        return;
      case 'connection':
        s.connection = a.state;
        s.connectionMessage = a.message ?? null;
        ch.session = true;
        return;
      case 'subscribed':
        // pushes after this are new to us: resuming from here loses nothing even before any push
        s.lastPos = Math.max(s.lastPos, pushPosition(a.seq, true));
        return;
      case 'resync':
        this.reset();
        return;
      case 'snapshot':
        this.applySnapshot(a);
        return;
      case 'call_event':
        if (!s.synced) this.pending.push(a);
        else this.applyCallEvent(a.push);
        return;
      case 'alert':
        if (!s.synced) this.pending.push(a);
        else this.applyAlert(a.alert, true);
        return;
      case 'alert_acked':
        // a live one waits for the snapshot like the call_event of its entry, which comes before it
        if (a.live && !s.synced) this.pending.push({ kind: 'alert_acked', alert: a.alert, live: true });
        else this.applyAlertAcked(a.alert, a.live);
        return;
      case 'alert_resolved':
        if (!s.synced) this.pending.push(a);
        else this.applyAlertResolved(a.push);
        return;
      case 'agent_event':
        if (!s.synced) this.pending.push(a);
        else this.applyAgentEvent(a.push);
        return;
      case 'metrics':
        this.applyMetrics(a.push, a.at);
        return;
      case 'filters':
        s.filters = normalizeFilters({ ...s.filters, ...a.filters });
        this.invalidateVisible();
        ch.order = true;
        ch.filters = true;
        return;
      case 'sort': {
        const same = s.sort.column === a.column;
        const dir = a.dir ?? (same ? (s.sort.dir === 'asc' ? 'desc' : 'asc') : defaultDir(a.column));
        s.sort = { column: a.column, dir };
        this.invalidateVisible();
        ch.order = true;
        ch.filters = true;
        return;
      }
      case 'select':
        if (s.selectedCallId !== null) ch.calls.add(s.selectedCallId);
        s.selectedCallId = a.callId;
        s.history = a.callId === null ? null : { callId: a.callId, loading: true, error: null, events: [] };
        if (a.callId !== null) ch.calls.add(a.callId);
        ch.history = true;
        return;
      case 'history_loaded':
        if (s.history?.callId === a.callId) {
          s.history.events = mergeEvents(a.events, s.history.events);
          s.history.loading = false;
          s.history.error = null;
          ch.history = true;
        }
        return;
      case 'history_failed':
        if (s.history?.callId === a.callId) {
          s.history.loading = false;
          s.history.error = a.message;
          ch.history = true;
        }
        return;
      case 'call_loaded':
        // a single call read over REST (e.g. the reply to a simulator action): never older than a push we applied?
        // We cannot tell, so it only fills a gap: a call we do not have yet.
        if (!s.calls.has(a.call.id)) {
          this.upsertCall(a.call, { type: a.call.last_event_type ?? null, at: a.call.last_event_time ?? null, system: false });
        }
        return;
      case 'notice':
        s.notices = [...s.notices, { id: ++this.noticeIds, tone: a.tone, text: a.text }].slice(-MAX_NOTICES);
        ch.notices = true;
        return;
      case 'dismiss_notice':
        s.notices = s.notices.filter((n) => n.id !== a.id);
        ch.notices = true;
        return;
      case 'traffic':
        s.traffic = { ...s.traffic, status: a.status, error: null };
        ch.traffic = true;
        return;
      case 'traffic_failed':
        s.traffic = { ...s.traffic, error: a.message };
        ch.traffic = true;
        return;
      case 'traffic_busy':
        s.traffic = { ...s.traffic, busy: a.busy };
        ch.traffic = true;
        return;
      case 'view':
        if (s.view !== a.view) {
          s.view = a.view;
          ch.view = true;
        }
        return;
      case 'report_query':
        if (!sameQuery(s.report.query, a.query)) {
          s.report = { ...s.report, query: { ...a.query }, download: null };
          ch.report = true;
        }
        return;
      case 'report_loading':
        if (sameQuery(s.report.query, a.query)) {
          s.report = { ...s.report, status: 'loading', error: null };
          ch.report = true;
        }
        return;
      case 'report_loaded':
        // an answer to an older question (the supervisor changed the day meanwhile) is dropped
        if (sameQuery(s.report.query, a.query)) {
          s.report = { ...s.report, status: 'loaded', error: null, loaded: { ...a.query }, items: a.items, daily: a.daily, agents: a.agents, agentsError: a.agentsError };
          ch.report = true;
        }
        return;
      case 'report_failed':
        if (sameQuery(s.report.query, a.query)) {
          s.report = { ...s.report, status: 'failed', error: a.message, loaded: null, items: [], daily: [], agents: [], agentsError: null };
          ch.report = true;
        }
        return;
      case 'report_download':
        s.report = { ...s.report, download: { busy: a.busy, tone: a.tone ?? 'info', text: a.text ?? '' } };
        ch.report = true;
        return;
    }
  }

  /** Forget all live data (a new sign-in or a server whose history is behind ours). */
  private reset(): void {
    const s = this.state;
    for (const id of s.calls.keys()) this.changes.removed.add(id);
    s.calls.clear();
    s.alerts.clear();
    s.lastPos = 0;
    s.synced = false;
    this.pending = [];
    this.endedCount = 0;
    this.invalidateVisible();
    this.changes.order = true;
    this.changes.alerts = true;
    this.alertsChanged();
  }

  private applySnapshot(a: Extract<Action, { kind: 'snapshot' }>): void {
    const s = this.state;
    for (const call of a.calls) {
      this.upsertCall(call, { type: call.last_event_type ?? null, at: call.last_event_time ?? null, system: false });
    }
    if (a.at !== undefined) {
      // the charts start from what the loaded calls say about the last minutes, not from empty
      const seeded = seedSeries(a.calls, a.queues, a.at);
      for (const [queue, samples] of seeded) {
        const existing = s.series.get(queue);
        if (!existing || existing.length === 0) s.series.set(queue, samples);
      }
    }
    for (const alert of a.alerts) this.applyAlert(alert, false);
    for (const q of a.queues) s.queues.set(q.id, q);
    for (const ag of a.agents) s.agents.set(ag.id, ag);
    if (a.center) s.center = a.center;
    this.changes.metrics = true;
    s.synced = true;
    const pending = this.pending;
    this.pending = [];
    for (const p of pending) {
      if (p.kind === 'call_event') this.applyCallEvent(p.push);
      else if (p.kind === 'alert') this.applyAlert(p.alert, true);
      else if (p.kind === 'alert_acked') this.applyAlertAcked(p.alert, true);
      else if (p.kind === 'alert_resolved') this.applyAlertResolved(p.push);
      else this.applyAgentEvent(p.push);
    }
    this.evictEnded();
  }

  private applyCallEvent(push: CallEventPush): boolean {
    const s = this.state;
    const pos = pushPosition(push.seq, false);
    if (pos <= s.lastPos) return false;
    s.lastPos = pos;
    const source = push.event.metadata?.['source'];
    this.upsertCall(push.call, { type: push.event.type, at: push.event.timestamp, system: source === 'system' });
    if (s.history && s.history.callId === push.call.id) {
      const evs = s.history.events;
      const last = evs[evs.length - 1];
      if (!last || last.seq < push.event.seq) {
        evs.push(push.event);
        this.changes.history = true;
      }
    }
    this.evictEnded();
    return true;
  }

  private applyAlert(alert: Alert, live: boolean): void {
    const s = this.state;
    if (live) {
      const pos = pushPosition(alert.seq, true);
      if (pos <= s.lastPos) return;
      s.lastPos = pos;
    }
    const known = s.alerts.get(alert.id);
    // an acknowledgement or resolution seen first wins over the older raised state
    let next = known?.acked_at ? { ...alert, acked_at: known.acked_at, acked_by: known.acked_by ?? null, note: known.note ?? null } : alert;
    if (known?.resolved_at && !next.resolved_at) next = { ...next, resolved_at: known.resolved_at, resolution: known.resolution ?? null };
    s.alerts.set(alert.id, next);
    if (live && !known && isOpen(next)) this.changes.newAlerts.push(alert.id);
    this.touchCall(alert.call_id);
    this.changes.alerts = true;
    this.alertsChanged();
  }

  /**
   * An acknowledgement: the `alert_acked` push (live, at position `ack_seq * 2 + 1`, after the
   * `call_event` of the same entry) or the REST reply to our own ack, which has no place in the order.
   */
  private applyAlertAcked(alert: Alert, live: boolean): void {
    const s = this.state;
    if (live && typeof alert.ack_seq === 'number') {
      const pos = pushPosition(alert.ack_seq, true);
      if (pos <= s.lastPos) return;
      s.lastPos = pos;
    }
    const known = s.alerts.get(alert.id);
    const ackedBy = alert.acked_by ?? known?.acked_by ?? null;
    const note = alert.note ?? known?.note ?? null;
    s.alerts.set(
      alert.id,
      known ? { ...known, acked_at: alert.acked_at ?? known.acked_at, acked_by: ackedBy, note } : { ...alert, acked_by: ackedBy, note },
    );
    this.touchCall(alert.call_id);
    this.changes.alerts = true;
    this.alertsChanged();
  }

  /**
   * An alert that resolved itself (its call moved on): it leaves the open list. One we never had
   * (raised before the snapshot's window) has nothing to show and is left out.
   */
  private applyAlertResolved(push: AlertResolvedPush): void {
    const s = this.state;
    const pos = pushPosition(push.seq, true);
    if (pos <= s.lastPos) return;
    s.lastPos = pos;
    const known = s.alerts.get(push.id);
    if (!known) return;
    s.alerts.set(push.id, { ...known, resolved_at: push.resolved_at, resolution: push.resolution });
    this.touchCall(push.call_id);
    this.changes.alerts = true;
    this.alertsChanged();
  }

  /** An entry about an agent (`agent_event`): applied at once, not at the next `metrics` push. */
  private applyAgentEvent(push: AgentEventPush): void {
    const s = this.state;
    const pos = pushPosition(push.seq, false);
    if (pos <= s.lastPos) return;
    s.lastPos = pos;
    const e = push.event;
    if (e?.type !== 'agent_available' && e?.type !== 'agent_presence') return; // a kind we do not know yet: its place counts, nothing else
    const id = e.metadata?.['agent_id'];
    const agent = typeof id === 'string' ? s.agents.get(id) : undefined;
    if (!agent) return; // an agent we have not seen: the next metrics push brings it
    let next: Agent;
    if (e.type === 'agent_available') next = madeAvailable(agent, e.timestamp);
    else {
      const presence = e.metadata['presence'];
      if (!(PRESENCES as readonly unknown[]).includes(presence)) return;
      const reason = e.metadata['reason'];
      next = withPresence(agent, presence as Presence, typeof reason === 'string' ? reason : null, e.timestamp);
    }
    s.agents.set(agent.id, next);
    this.changes.metrics = true;
  }

  private applyMetrics(push: MetricsPush, at: number): void {
    const s = this.state;
    for (const q of push.queues) {
      s.queues.set(q.id, q);
      let series = s.series.get(q.id);
      if (!series) {
        series = [];
        s.series.set(q.id, series);
      }
      series.push({ t: at, waiting: q.metrics.waiting_now, serviceLevel: q.metrics.service_level });
      let drop = 0;
      while (drop < series.length && series[drop]!.t < at - SERIES_WINDOW_MS) drop++;
      if (drop > 0) series.splice(0, drop);
    }
    s.agents.clear();
    for (const ag of push.agents) s.agents.set(ag.id, ag);
    if (push.center) s.center = push.center;
    this.changes.metrics = true;
  }

  private upsertCall(call: Call, last: LastEvent): void {
    const s = this.state;
    const prev = s.calls.get(call.id);
    if (prev?.call.status === 'ended') this.endedCount--;
    if (call.status === 'ended') this.endedCount++;
    s.calls.set(call.id, { call, last });
    this.changes.calls.add(call.id);
    this.changes.removed.delete(call.id);
    // the visible order changes with a new row, a changed filter match or a changed sort key
    const row = s.calls.get(call.id)!;
    if (
      !prev ||
      matchesFilters(prev.call, s.filters) !== matchesFilters(call, s.filters) ||
      !sameKey(sortKey(prev, s.sort.column, 0), sortKey(row, s.sort.column, 0))
    ) {
      this.invalidateVisible();
      this.changes.order = true;
    }
  }

  private touchCall(callId: string): void {
    if (this.state.calls.has(callId)) this.changes.calls.add(callId);
  }

  /** Keeps the newest {@link MAX_ENDED_CALLS} ended calls (with some slack, so this runs rarely). */
  private evictEnded(): void {
    if (this.endedCount <= MAX_ENDED_CALLS + MAX_ENDED_CALLS / 10) return;
    const s = this.state;
    const ended = [...s.calls.values()]
      .filter((r) => r.call.status === 'ended' && r.call.id !== s.selectedCallId)
      .sort((x, y) => timeOf(x.call.end_time) - timeOf(y.call.end_time));
    const excess = this.endedCount - MAX_ENDED_CALLS;
    for (let i = 0; i < excess && i < ended.length; i++) {
      const id = ended[i]!.call.id;
      s.calls.delete(id);
      this.changes.removed.add(id);
      this.changes.calls.delete(id);
      this.endedCount--;
    }
    this.invalidateVisible();
    this.changes.order = true;
  }

  // ---- selectors --------------------------------------------------------------------------------

  /** Ids of the rows that pass the filters, in sort order (cached until something changes it). */
  visibleCallIds(nowMs: number): string[] {
    if (this.visible === null) this.visible = computeVisible(this.state, nowMs);
    return this.visible;
  }

  /**
   * Grows whenever the visible rows or their order may have changed: a view that remembers the
   * version it drew knows whether to ask {@link visibleCallIds} again.
   */
  get orderVersion(): number {
    return this.orderVersionCount;
  }

  /** Forces the next {@link visibleCallIds} to recompute (the clock moved a time-sorted table). */
  invalidateOrder(): void {
    this.invalidateVisible();
    this.changes.order = true;
  }

  private invalidateVisible(): void {
    this.visible = null;
    this.orderVersionCount++;
  }

  /** Open alerts (neither acknowledged nor resolved), newest first (cached until the alerts change). */
  openAlerts(): Alert[] {
    this.openAlertList ??= [...this.state.alerts.values()]
      .filter(isOpen)
      .sort((x, y) => y.seq - x.seq || (x.id < y.id ? -1 : 1));
    return this.openAlertList;
  }

  /** Acknowledged alerts the store knows, most recently acknowledged first, at most `limit`. */
  recentlyAcked(limit: number): Alert[] {
    this.ackedAlertList ??= [...this.state.alerts.values()]
      .filter((a) => a.acked_at !== null)
      .sort((x, y) => timeOf(y.acked_at) - timeOf(x.acked_at) || y.seq - x.seq);
    return this.ackedAlertList.slice(0, limit);
  }

  /** A call's alerts the store knows (open or acknowledged), in the order they were raised. */
  alertsOfCall(callId: string): Alert[] {
    return [...this.state.alerts.values()].filter((a) => a.call_id === callId).sort((x, y) => x.seq - y.seq);
  }

  private alertsChanged(): void {
    this.alertedCalls = null;
    this.openAlertList = null;
    this.ackedAlertList = null;
  }

  /** Call ids with at least one open alert (cached until the alerts change). */
  callsWithOpenAlerts(): Set<string> {
    if (this.alertedCalls === null) {
      this.alertedCalls = new Set();
      for (const a of this.state.alerts.values()) if (isOpen(a)) this.alertedCalls.add(a.call_id);
    }
    return this.alertedCalls;
  }

  statusCounts(): Record<CallStatus, number> {
    const counts: Record<CallStatus, number> = { waiting: 0, active: 0, on_hold: 0, ended: 0 };
    for (const r of this.state.calls.values()) counts[r.call.status]++;
    return counts;
  }
}

/**
 * An agent a supervisor set available, as the server shows it: a break ends (the agent is
 * available, or ringing if a call was ringing them meanwhile); a talk goes on as it was. Either
 * way the run of consecutive misses starts again from zero. The state's since-time moves only when
 * the state changes.
 */
export function madeAvailable(agent: Agent, at: string): Agent {
  return { ...withPresence(agent, 'available', null, at), consecutive_misses: 0 };
}

/** The agent states of a call in progress: a presence change shows only once the call ends. */
const ON_A_CALL: readonly AgentState[] = ['ringing', 'on_call', 'on_hold'];
const STATE_OF_PRESENCE: Record<Presence, AgentState> = {
  available: 'available',
  not_ready: 'on_break',
  wrap_up: 'wrap_up',
  logged_out: 'logged_out',
};

/**
 * An agent after an `agent_presence` entry, as the server shows it until the next `metrics` push
 * brings the counters: the presence and reason change and `since` moves; the state follows the
 * presence unless a call is ringing or in progress (it still shows the call). Setting the presence
 * the agent is already in (same reason) changes nothing. Becoming available ends a run of misses,
 * as the v1 route does.
 */
export function withPresence(agent: Agent, presence: Presence, reason: string | null, at: string): Agent {
  const why = presence === 'not_ready' ? reason ?? 'not_ready' : null;
  if (agent.presence === presence && (agent.reason ?? null) === why) return agent;
  const onCall = ON_A_CALL.includes(agent.state);
  // a call that rang the agent during the break is still theirs to answer
  const state = onCall ? agent.state : presence === 'available' && agent.current_call_id ? 'ringing' : STATE_OF_PRESENCE[presence];
  return {
    ...agent,
    presence,
    reason: why,
    since: at,
    state,
    state_since: state !== agent.state ? at : agent.state_since,
    consecutive_misses: presence === 'available' ? 0 : agent.consecutive_misses,
    logged_in_since: presence === 'logged_out' ? null : agent.presence === 'logged_out' ? at : agent.logged_in_since,
  };
}

function defaultDir(column: SortColumn): 'asc' | 'desc' {
  return column === 'time' || column === 'last_event' ? 'desc' : 'asc';
}

/** Merges two lists of history entries by seq, without duplicates. */
function mergeEvents(a: CallEvent[], b: CallEvent[]): CallEvent[] {
  const bySeq = new Map<number, CallEvent>();
  for (const e of a) bySeq.set(e.seq, e);
  for (const e of b) if (!bySeq.has(e.seq)) bySeq.set(e.seq, e);
  return [...bySeq.values()].sort((x, y) => x.seq - y.seq);
}

export function timeOf(iso: string | null | undefined): number {
  if (!iso) return 0;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

// ---- filters and sort ---------------------------------------------------------------------------

export function normalizeFilters(f: Filters): Filters {
  const status = CALL_STATUSES.filter((st) => f.status.includes(st));
  return {
    status: status.length === CALL_STATUSES.length ? [] : status,
    queue: f.queue.trim(),
    agent: f.agent.trim(),
    search: f.search.trim(),
  };
}

export function matchesFilters(call: Call, f: Filters): boolean {
  if (f.status.length > 0 && !f.status.includes(call.status)) return false;
  if (f.queue !== '' && call.queue_id !== f.queue) return false;
  if (f.agent !== '' && call.agent_id !== f.agent) return false;
  if (f.search !== '' && !call.id.toLowerCase().includes(f.search.toLowerCase())) return false;
  return true;
}

/** Waiting first (they need someone), then on hold, active, ended. */
const STATUS_RANK: Record<CallStatus, number> = { waiting: 0, on_hold: 1, active: 2, ended: 3 };

/** When the clock of a live call's shown time started: its current wait, or its talk. */
function anchorMs(call: Call): number {
  return call.status === 'waiting'
    ? timeOf(call.wait_start_time ?? call.start_time)
    : timeOf(call.answer_time ?? call.start_time);
}

/**
 * The elapsed seconds the table shows: the current wait for a waiting call, the talk time for a
 * call in progress, the duration (or the wait, if abandoned) for an ended one.
 */
export function elapsedSeconds(call: Call, nowMs: number): number {
  if (call.status === 'ended') return call.duration ?? call.wait_time ?? 0;
  return Math.max(0, (nowMs - anchorMs(call)) / 1000);
}

type Key = [number | string, number | string];

/**
 * A row's sort key for a column. Only the `time` key moves with the clock; the `status` key
 * orders calls of one status by how long they have waited or talked without depending on now.
 */
export function sortKey(row: CallRow, column: SortColumn, nowMs: number): Key {
  const c = row.call;
  switch (column) {
    case 'id':
      return [0, 0];
    case 'type':
      return [c.type, 0];
    case 'queue':
      return [c.queue_id ?? '', 0];
    case 'agent':
      return [c.agent_id ?? '\uffff', 0];
    case 'status':
      return [STATUS_RANK[c.status], c.status === 'ended' ? -(c.duration ?? c.wait_time ?? 0) : anchorMs(c)];
    case 'time':
      return [elapsedSeconds(c, nowMs), 0];
    case 'flags':
      return [c.flags.length, c.flags.join(',')];
    case 'last_event':
      return [timeOf(row.last.at), 0];
  }
}

function sameKey(a: Key, b: Key): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

function compareKeys(a: Key, b: Key): number {
  return cmp(a[0], b[0]) || cmp(a[1], b[1]);
}

function cmp(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Natural order of ids: "call-9" before "call-10". */
const ids = new Intl.Collator('en', { numeric: true });

/** Filters, then sorts on precomputed keys (one key per row, not one per comparison). */
export function computeVisible(state: State, nowMs: number): string[] {
  const { column, dir } = state.sort;
  const rows: { id: string; key: Key }[] = [];
  for (const r of state.calls.values()) {
    if (matchesFilters(r.call, state.filters)) rows.push({ id: r.call.id, key: sortKey(r, column, nowMs) });
  }
  const sign = dir === 'asc' ? 1 : -1;
  rows.sort((a, b) => sign * (compareKeys(a.key, b.key) || ids.compare(a.id, b.id)));
  return rows.map((r) => r.id);
}

// ---- the URL ------------------------------------------------------------------------------------

/** What the URL holds: `?status=waiting,active&queue=…&agent=…&q=…&sort=time&dir=desc&call=…`. */
export interface UrlView {
  filters: Filters;
  sort: Sort;
  callId: string | null;
}

/** Reads the view from a query string; anything unknown is ignored. */
export function viewFromQuery(search: string): UrlView {
  const p = new URLSearchParams(search);
  const status = (p.get('status') ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter((x): x is CallStatus => (CALL_STATUSES as readonly string[]).includes(x));
  const filters = normalizeFilters({
    status,
    queue: p.get('queue') ?? '',
    agent: p.get('agent') ?? '',
    search: p.get('q') ?? '',
  });
  const col = p.get('sort');
  const column = (SORT_COLUMNS as readonly string[]).includes(col ?? '') ? (col as SortColumn) : DEFAULT_SORT.column;
  const dirParam = p.get('dir');
  const dir = dirParam === 'asc' || dirParam === 'desc' ? dirParam : col ? defaultDir(column) : DEFAULT_SORT.dir;
  return { filters, sort: { column, dir }, callId: p.get('call') || null };
}

/** The query string for filters and sort; defaults are left out so a plain view has a plain URL. */
export function viewToQuery({ filters, sort, callId }: UrlView): string {
  const p = new URLSearchParams();
  if (filters.status.length > 0) p.set('status', filters.status.join(','));
  if (filters.queue) p.set('queue', filters.queue);
  if (filters.agent) p.set('agent', filters.agent);
  if (filters.search) p.set('q', filters.search);
  if (sort.column !== DEFAULT_SORT.column || sort.dir !== DEFAULT_SORT.dir) {
    p.set('sort', sort.column);
    p.set('dir', sort.dir);
  }
  if (callId) p.set('call', callId);
  const q = p.toString();
  return q ? `?${q}` : '';
}
