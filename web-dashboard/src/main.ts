/**
 * The app: builds the page, signs in, connects the socket, loads the snapshot, keeps the URL in
 * step with the filters and renders the store at most once per animation frame.
 */
import './style.css';
import { ApiError } from './api';
import type { Api } from './api';
import type { ActionParams, CallAction } from './simulator';
import { eventFor, newCallEvent, randomId } from './simulator';
import { TrafficPoller } from './traffic';
import type { SocketLink } from './socket';
import { arrivalFromAddress, forgetCredentials, offerIdentityProvider, savedCredential, signIn as openSession } from './session';
import type { ReportQuery, ViewId } from './reports';
import { agentsQuery, csvDataLines, csvFileName, hashFor, intervalsQuery, viewFromHash } from './reports';
import type { Filters, SortColumn } from './store';
import { initialState, NO_FILTERS, sameQuery, Store, viewFromQuery, viewToQuery } from './store';
import type { Alert, Call, CallType, IntervalReport, PresenceRequest, Traffic, TrafficRequest } from './wire';
import { alertsPanel } from './view/alerts';
import { callDetail } from './view/callDetail';
import { callsTable } from './view/callsTable';
import { h } from './view/dom';
import { localDay, presenceText } from './view/format';
import { agentsView, centerSummary, queueStrip } from './view/queues';
import { reportsView } from './view/reports';
import { filterBar, headerView, noticesView, shortcutsDialog, signInView, tabs } from './view/shell';
import type { TabId } from './view/shell';
import { keyPressOf, shortcutOf, type Shortcut } from './shortcuts';
import { simulatorPanel } from './view/simulatorPanel';

/** Pages of live calls loaded at start (500 each). */
const MAX_LIVE_PAGES = 20;
/** Pages of ended calls loaded at start: the most recent ones are enough for a live view. */
const MAX_ENDED_PAGES = 1;
/** Newest alerts of any state loaded at start, for "Recently acknowledged" and the call panel. */
const RECENT_ALERTS = 50;

const url = viewFromQuery(location.search);
const route = viewFromHash(location.hash, localDay(Date.now()));
/** The address named no day: the report's default is today in the center's time zone, once the server has said which day that is. */
let dayFromAddress = /[?&]day=/.test(location.hash);
const store = new Store(initialState(url.filters, url.sort, route.query.day));
store.dispatch({ kind: 'view', view: route.view });
store.dispatch({ kind: 'report_query', query: route.query });
let api: Api | null = null;
let link: SocketLink | null = null;
let generation = 0;
let pendingCallFromUrl = url.callId;

// ---- the page -----------------------------------------------------------------------------------

const root = document.getElementById('app')!;
const signIn = signInView((request) => void signInAs(request));
const help = shortcutsDialog();
const header = headerView(store, () => signOut(null), (view) => navigate(view), () => help.open());
const filters = filterBar(store, (f: Partial<Filters>) => store.dispatch({ kind: 'filters', filters: f }));
const table = callsTable(store, (id) => select(id), (c: SortColumn) => store.dispatch({ kind: 'sort', column: c }), () => schedule(false));
const alerts = alertsPanel(store, {
  ack,
  ackMany,
  showCall: (id) => select(id),
  queueName: (id) => store.state.queues.get(id)?.name ?? id,
});
const strip = queueStrip(store, (id) => store.dispatch({ kind: 'filters', filters: { queue: id } }));
const center = centerSummary(store);
const agents = agentsView(store, { onAvailable: (id) => void agentAvailable(id), onPresence: (id, p) => void setPresence(id, p) }, () => schedule(false));
const reports = reportsView(store, {
  onQuery: (query) => {
    dayFromAddress = true;
    store.dispatch({ kind: 'report_query', query });
    syncHash(false);
    void loadReport(false);
  },
  onRefresh: () => void loadReport(true),
  onDownload: (kind) => void downloadCsv(kind),
});
const detail = callDetail(store, { onAction: act, onClose: () => select(null), canIngest });
const sim = simulatorPanel(store, { newCall, startTraffic, stopTraffic, canIngest, canDriveTraffic: () => store.state.session?.role === 'admin' });
/** The side panel's tab on show: the traffic generator's status is asked for while the Simulator's is. */
let sideTab: TabId = 'call';
const side = tabs([
  { id: 'call', label: 'Call', content: detail.element },
  { id: 'agents', label: 'Agents', content: agents.element },
  { id: 'simulator', label: 'Simulator', content: sim.element },
], (id) => {
  sideTab = id;
  if (id === 'simulator' && api) traffic.poke();
  schedule(false);
});
const notices = noticesView(store, (id) => store.dispatch({ kind: 'dismiss_notice', id }));
const live = h(
  'main',
  { class: 'content', attrs: { id: 'live' } },
  center.element,
  strip.element,
    h(
      'div',
      { class: 'work' },
      h('section', { class: 'panel calls-panel', attrs: { 'aria-label': 'Calls' } }, filters.element, table.element, table.footer),
      h('aside', { class: 'side' }, alerts.element, side.element),
    ),
);
const dashboard = h('div', { class: 'dashboard', attrs: { id: 'dashboard' } }, header.element, live, reports.element);
root.append(signIn.element, dashboard, notices.element, help.element);

// ---- rendering ----------------------------------------------------------------------------------

let frameQueued = false;
let tickQueued = false;

function schedule(tick: boolean): void {
  tickQueued ||= tick;
  if (frameQueued) return;
  frameQueued = true;
  requestAnimationFrame(() => {
    frameQueued = false;
    const t = tickQueued;
    tickQueued = false;
    render(t);
  });
}

function serverNow(): number {
  return Date.now() + (store.state.session?.clockOffsetMs ?? 0);
}

function render(tick: boolean): void {
  const changes = store.takeChanges();
  const now = serverNow();
  const signedIn = store.state.session !== null;
  signIn.element.hidden = signedIn;
  dashboard.hidden = !signedIn;
  // for people: the table's "Loading calls…"; for the browser tests: an attribute to wait on
  dashboard.dataset['synced'] = String(store.state.synced);
  if (changes.session && !signedIn) {
    signIn.showMessage(store.state.connectionMessage);
    signIn.busy(false);
    signIn.focus();
  }
  const view = store.state.view;
  live.hidden = view !== 'live';
  reports.element.hidden = view !== 'reports';
  dashboard.dataset['view'] = view;
  header.render(changes);
  center.render(changes, now, tick);
  reports.render(changes);
  filters.render(changes);
  table.render(now, tick, changes.filters);
  alerts.render(changes, now, tick);
  strip.render(changes, now, tick);
  agents.render(changes, now, tick);
  detail.render(changes, now, tick);
  sim.render(changes, now, tick);
  if (revealSide) {
    revealSide = false;
    side.element.scrollIntoView({ block: 'start' });
  }
  notices.render(changes);
  const open = store.openAlerts().length;
  document.title = open > 0 ? `(${open}) Switchboard` : 'Switchboard';
  if (changes.filters || changes.history) syncUrl();
}

store.subscribe(() => schedule(false));
setInterval(() => schedule(true), 1_000);
window.addEventListener('resize', () => schedule(false));

function syncUrl(): void {
  const s = store.state;
  const q = viewToQuery({ filters: s.filters, sort: s.sort, callId: s.selectedCallId });
  if (q !== location.search && !(q === '' && location.search === '')) {
    history.replaceState(null, '', `${location.pathname}${q}${location.hash}`);
  }
}

window.addEventListener('popstate', () => {
  const v = viewFromQuery(location.search);
  store.dispatch({ kind: 'filters', filters: v.filters });
  store.dispatch({ kind: 'sort', column: v.sort.column, dir: v.sort.dir });
  followHash();
});
window.addEventListener('hashchange', () => followHash());

// ---- the two views ------------------------------------------------------------------------------

/** Today in the center's time zone, as the server counts it (the browser's date until it has said). */
function today(): string {
  const s = store.state;
  return s.center?.day ?? [...s.queues.values()].find((q) => q.metrics.day)?.metrics.day ?? localDay(serverNow());
}

/** The address changed (back, forward, a pasted link): show what it says. */
function followHash(): void {
  const r = viewFromHash(location.hash, today());
  dayFromAddress ||= /[?&]day=/.test(location.hash);
  store.dispatch({ kind: 'view', view: r.view });
  store.dispatch({ kind: 'report_query', query: r.query });
  if (r.view === 'reports') void loadReport(false);
}

function navigate(view: ViewId): void {
  if (view === 'reports' && !dayFromAddress) store.dispatch({ kind: 'report_query', query: { ...store.state.report.query, day: today() } });
  store.dispatch({ kind: 'view', view });
  syncHash(true);
  if (view === 'reports') void loadReport(false);
  else live.querySelector<HTMLElement>('#f-search')?.blur();
}

/** Writes the view (and the report asked for) into the address: a new history entry when the view changes. */
function syncHash(push: boolean): void {
  const s = store.state;
  const hash = hashFor(s.view, s.report.query);
  if (hash === location.hash || (hash === '' && location.hash === '')) return;
  const next = `${location.pathname}${location.search}${hash}`;
  if (push) history.pushState(null, '', next);
  else history.replaceState(null, '', next);
}

// ---- keyboard -----------------------------------------------------------------------------------

document.addEventListener('keydown', (e) => {
  if (store.state.session === null || help.element.open) return;
  const shortcut = shortcutOf(keyPressOf(e));
  // the live view's keys do nothing under Reports (its filters are not on screen); ? still helps
  if (!shortcut || (store.state.view !== 'live' && shortcut.kind !== 'help')) return;
  e.preventDefault();
  run(shortcut);
});

function run(shortcut: Shortcut): void {
  switch (shortcut.kind) {
    case 'help':
      help.open();
      return;
    case 'search': {
      const search = filters.element.querySelector<HTMLInputElement>('#f-search')!;
      search.focus();
      search.select();
      return;
    }
    case 'status':
      store.dispatch({ kind: 'filters', filters: { status: shortcut.status } });
      return;
    case 'queue':
    case 'agent':
      filters.element.querySelector<HTMLSelectElement>(shortcut.kind === 'queue' ? '#f-queue' : '#f-agent')!.focus();
      return;
    case 'ack':
      if (!alerts.ackOne(store.state.selectedCallId)) store.dispatch({ kind: 'notice', tone: 'info', text: 'No open alert to acknowledge.' });
      return;
    case 'ack_all':
      alerts.ackAllShown();
      return;
    case 'new_call':
      if (!canIngest()) return;
      showSide('simulator');
      sim.element.querySelector<HTMLSelectElement>('#sim-queue')!.focus();
      return;
    case 'escape': {
      if (store.state.selectedCallId !== null) {
        select(null);
        return;
      }
      const f = store.state.filters;
      if (f.status.length > 0 || f.queue || f.agent || f.search) store.dispatch({ kind: 'filters', filters: NO_FILTERS });
      return;
    }
  }
}

// ---- session ------------------------------------------------------------------------------------

function canIngest(): boolean {
  const role = store.state.session?.role;
  return role === 'admin' || role === 'ingest';
}

/** The sign-in form (a username and password, or a key), or the credential this tab kept across a reload. */
async function signInAs(request: Parameters<typeof openSession>[0]): Promise<void> {
  const opened = await openSession(request, signIn, store, () => void loadSnapshot());
  if (!opened) return;
  api = opened.api;
  link = opened.link;
}

function signOut(message: string | null): void {
  // a named supervisor's session ends on the server too (a key has nothing to end)
  if (api && store.state.session?.user) void api.signOut().catch(() => undefined);
  teardown();
  store.dispatch({ kind: 'signed_out', message });
}

function teardown(): void {
  requestedReport = null;
  reportGeneration++;
  forgetCredentials();
  traffic.stop();
  link?.close();
  link = null;
  api = null;
  generation++;
}

// the socket module signs out on a refused key: tear the rest down with it
store.subscribe(() => {
  if (store.state.session === null && (link !== null || api !== null)) teardown();
});

/**
 * The snapshot after a (re)subscription: live calls, recent ended calls, open alerts and the newest
 * ones of any state (so the panel can say who acknowledged the last few), queues, agents.
 */
async function loadSnapshot(): Promise<void> {
  const gen = ++generation;
  const client = api;
  if (!client) return;
  try {
    const [liveCalls, ended, openAlerts, recentAlerts, queues, agentList, centerMetrics] = await Promise.all([
      client.calls({ status: 'waiting,active,on_hold' }, MAX_LIVE_PAGES),
      client.calls({ status: 'ended' }, MAX_ENDED_PAGES),
      client.openAlerts(),
      client.recentAlerts(RECENT_ALERTS),
      client.queues(),
      client.agents(),
      // a server without the center's figures (404) still has everything else
      client.center().catch((e: unknown) => (e instanceof ApiError && e.status === 404 ? null : Promise.reject(e))),
    ]);
    if (gen !== generation) return; // a newer subscription took over
    store.dispatch({
      kind: 'snapshot',
      calls: [...ended, ...liveCalls],
      alerts: [...recentAlerts, ...openAlerts],
      queues,
      agents: agentList,
      center: centerMetrics,
      at: Date.now(),
    });
    if (!dayFromAddress && !sameQuery(store.state.report.query, { ...store.state.report.query, day: today() })) {
      store.dispatch({ kind: 'report_query', query: { ...store.state.report.query, day: today() } });
      syncHash(false);
    }
    if (store.state.view === 'reports') void loadReport(false);
    traffic.poke(); // running since before this page: the Simulator tab says so, and keeps it current
    if (pendingCallFromUrl) {
      const id = pendingCallFromUrl;
      pendingCallFromUrl = null;
      select(id);
    }
  } catch (e) {
    if (gen !== generation) return;
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
      signOut(e.message);
      return;
    }
    store.dispatch({ kind: 'notice', tone: 'error', text: `Could not load the calls: ${messageOf(e)} Retrying…` });
    setTimeout(() => {
      if (gen === generation) void loadSnapshot();
    }, 2_000);
  }
}

// ---- actions ------------------------------------------------------------------------------------

/** Columns stacked (tablet, phone: see style.css): the call panel is below the table, out of sight. */
const stacked = window.matchMedia('(max-width: 1023px)');

/** A tab of the side panel was asked for on a stacked layout: the next frame scrolls to it, once it is drawn. */
let revealSide = false;

/** Shows a tab of the side panel, and on a stacked layout brings it into view (the supervisor tapped a row far above it). */
function showSide(tab: TabId): void {
  side.show(tab);
  revealSide = stacked.matches;
  schedule(false);
}

function select(id: string | null): void {
  if (id === store.state.selectedCallId) {
    if (id !== null) showSide('call');
    return;
  }
  store.dispatch({ kind: 'select', callId: id });
  if (id === null) return;
  showSide('call');
  const client = api;
  if (!client) return;
  if (!store.state.calls.has(id)) {
    client.call(id).then(
      (call) => store.dispatch({ kind: 'call_loaded', call }),
      () => undefined,
    );
  }
  client.callEvents(id).then(
    (events) => store.dispatch({ kind: 'history_loaded', callId: id, events }),
    (e: unknown) => store.dispatch({ kind: 'history_failed', callId: id, message: messageOf(e) }),
  );
}

async function ack(alert: Alert, note: string | null): Promise<void> {
  if (!api) return;
  try {
    const acked = await api.ackAlert(alert.id, note ?? undefined);
    store.dispatch({ kind: 'alert_acked', alert: acked, live: false });
  } catch (e) {
    store.dispatch({ kind: 'notice', tone: 'error', text: `Could not acknowledge: ${messageOf(e)}` });
    throw e;
  }
}

/** "Ack all": the alerts shown, by id, in one request (`POST /api/alerts/ack`). */
async function ackMany(ids: string[], note: string | null): Promise<void> {
  if (!api) return;
  try {
    const reply = await api.ackAlerts(note ? { ids, note } : { ids });
    for (const acked of reply.alerts) store.dispatch({ kind: 'alert_acked', alert: acked, live: false });
    const n = reply.acknowledged;
    store.dispatch({ kind: 'notice', tone: 'info', text: `${n.toLocaleString()} alert${n === 1 ? '' : 's'} acknowledged.` });
  } catch (e) {
    store.dispatch({ kind: 'notice', tone: 'error', text: `Could not acknowledge: ${messageOf(e)}` });
    throw e;
  }
}

async function agentAvailable(id: string): Promise<void> {
  if (!api) return;
  try {
    await api.agentAvailable(id);
    store.dispatch({ kind: 'notice', tone: 'info', text: `${id} is available again.` });
  } catch (e) {
    store.dispatch({ kind: 'notice', tone: 'error', text: `Could not set ${id} available: ${messageOf(e)}` });
  }
}

async function setPresence(id: string, presence: PresenceRequest): Promise<void> {
  if (!api) return;
  try {
    // the page shows the change from its agent_event push, like every other page does
    const agent = await api.setPresence(id, presence);
    store.dispatch({ kind: 'notice', tone: 'info', text: `${id}: ${presenceText(agent)}.` });
  } catch (e) {
    store.dispatch({ kind: 'notice', tone: 'error', text: `Could not set the presence of ${id}: ${messageOf(e)}` });
  }
}

// ---- reports ------------------------------------------------------------------------------------

/** The report last asked of the server (a change of view does not ask again for the same one). */
let requestedReport: ReportQuery | null = null;
let reportGeneration = 0;

async function loadReport(force: boolean): Promise<void> {
  const client = api;
  if (!client || !store.state.synced) return; // after the snapshot, which says what today is
  const q = { ...store.state.report.query };
  if (!force && sameQuery(requestedReport, q)) return;
  requestedReport = q;
  const gen = ++reportGeneration;
  store.dispatch({ kind: 'report_loading', query: q });
  // the whole day per queue (exact per-queue AHT) comes with interval P1D; the chosen one may be it already
  const dailyIsItems = q.interval === 'P1D' && q.queue === '';
  const [items, daily, agentsReport] = await Promise.allSettled([
    client.intervalsReport(intervalsQuery(q)),
    dailyIsItems ? Promise.resolve(null) : client.intervalsReport(intervalsQuery(q, undefined, 'P1D', '')),
    client.agentsReport(agentsQuery(q)),
  ]);
  if (gen !== reportGeneration) return;
  if (items.status === 'rejected') {
    requestedReport = null; // asking again (Refresh, or the same day picked again) is worth it
    if (items.reason instanceof ApiError && items.reason.status === 401) {
      signOut(items.reason.message);
      return;
    }
    store.dispatch({ kind: 'report_failed', query: q, message: reportProblem(items.reason) });
    return;
  }
  const dailyItems: IntervalReport[] = daily.status === 'fulfilled' ? (daily.value?.items ?? items.value.items) : [];
  store.dispatch({
    kind: 'report_loaded',
    query: q,
    items: items.value.items,
    daily: dailyItems,
    agents: agentsReport.status === 'fulfilled' ? agentsReport.value.items : [],
    agentsError: agentsReport.status === 'rejected' ? reportProblem(agentsReport.reason) : null,
  });
}

function reportProblem(e: unknown): string {
  if (e instanceof ApiError && e.status === 404) return `This server has no reports yet (it answered 404: ${e.message}).`;
  return messageOf(e);
}

async function downloadCsv(kind: 'intervals' | 'agents'): Promise<void> {
  const client = api;
  if (!client) return;
  const q = store.state.report.query;
  const path = kind === 'intervals' ? `/api/reports/intervals?${intervalsQuery(q, 'csv')}` : `/api/reports/agents?${agentsQuery(q, 'csv')}`;
  const name = csvFileName(kind, q);
  store.dispatch({ kind: 'report_download', busy: true, text: `Downloading ${name}…` });
  try {
    const text = await client.reportCsv(path);
    saveFile(name, text);
    const n = csvDataLines(text);
    store.dispatch({ kind: 'report_download', busy: false, text: `Saved ${name} (${n} ${n === 1 ? 'row' : 'rows'}).` });
  } catch (e) {
    store.dispatch({ kind: 'report_download', busy: false, tone: 'error', text: `Could not download ${name}: ${reportProblem(e)}` });
  }
}

/** Hands a text to the browser as a file download (the fetch carried the key, so a plain link cannot). */
function saveFile(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = h('a', { attrs: { href: url, download: name }, style: { display: 'none' } });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

async function act(call: Call, action: CallAction, params: ActionParams): Promise<void> {
  if (!api) return;
  try {
    await api.postEvent(eventFor(call, action, params));
  } catch (e) {
    store.dispatch({ kind: 'notice', tone: 'error', text: messageOf(e) });
  }
}

async function newCall(queueId: string, type: CallType, callId: string): Promise<void> {
  if (!api) return;
  const id = callId || randomId('call-', 3);
  try {
    await api.postEvent(newCallEvent(id, queueId, type));
    select(id);
  } catch (e) {
    store.dispatch({ kind: 'notice', tone: 'error', text: messageOf(e) });
  }
}

/** The server's traffic generator: asked for every 2 s while it runs or the Simulator tab is shown. */
const traffic = new TrafficPoller({
  fetch: () => (api ? api.traffic() : Promise.reject(new Error('signed out'))),
  watching: () => sideTab === 'simulator' && store.state.view === 'live' && document.visibilityState === 'visible',
  onStatus: (status) => store.dispatch({ kind: 'traffic', status }),
  onError: (message) => store.dispatch({ kind: 'traffic_failed', message }),
  setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  clearTimeout: (handle) => window.clearTimeout(handle as number),
});
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && api) traffic.poke();
});

async function startTraffic(request: TrafficRequest): Promise<void> {
  await driveTraffic((client) => client.startTraffic(request), 'start');
}

async function stopTraffic(): Promise<void> {
  await driveTraffic((client) => client.stopTraffic(), 'stop');
}

/** A start or a stop: the reply is the new status; the poller goes on from it. */
async function driveTraffic(send: (client: Api) => Promise<Traffic>, what: 'start' | 'stop'): Promise<void> {
  const client = api;
  if (!client) return;
  store.dispatch({ kind: 'traffic_busy', busy: true });
  try {
    const status = await send(client);
    store.dispatch({ kind: 'traffic', status });
    traffic.know(status);
  } catch (e) {
    store.dispatch({ kind: 'notice', tone: 'error', text: `Could not ${what} the traffic generator: ${messageOf(e)}` });
  } finally {
    store.dispatch({ kind: 'traffic_busy', busy: false });
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// ---- start --------------------------------------------------------------------------------------

const arrived = arrivalFromAddress();
const saved = arrived.credential ?? savedCredential();
render(false);
if (saved) void signInAs(saved);
else signIn.focus();
if (arrived.error) signIn.showMessage(arrived.error);
void offerIdentityProvider(signIn, '/');
