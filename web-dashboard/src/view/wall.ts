/**
 * The wall: the queues' figures on a screen across the room (`/wall`). One tile per queue with
 * the few numbers a floor acts on — calls waiting, the longest wait, today's service level against
 * its target, agents available and on a call, open alerts — in type big enough to read from a
 * distance, and nothing to click. Everything comes from the store (the `metrics` pushes, the
 * agents' presence and the alerts), so it is as live as the dashboard.
 */
import { slTone } from '../reports';
import type { Changes, ConnectionState, Store } from '../store';
import type { Agent, AgentState, Alert, Queue } from '../wire';
import { h, setText, toggleClass } from './dom';
import { clock, dayLabel, percent } from './format';

/** An agent busy with a call, in whatever step of it. */
const ON_A_CALL: readonly AgentState[] = ['ringing', 'on_call', 'on_hold'];

/** What one queue's tile shows. */
export interface QueueFigures {
  id: string;
  name: string;
  waiting: number;
  /** seconds */
  longestWait: number;
  /** the queue's SLA, seconds: a longer wait is shown as late */
  slaSeconds: number;
  serviceLevel: number | null;
  target: number;
  agentsAvailable: number;
  agentsOnCall: number;
  openAlerts: number;
  abandoned: number;
  offered: number;
}

/** The figures of every queue, in the order the server lists them. */
export function wallFigures(queues: Iterable<Queue>, agents: ReadonlyMap<string, Agent>, openAlerts: readonly Alert[]): QueueFigures[] {
  const alertsByQueue = new Map<string, number>();
  for (const a of openAlerts) if (a.queue_id) alertsByQueue.set(a.queue_id, (alertsByQueue.get(a.queue_id) ?? 0) + 1);
  return [...queues].map((q) => {
    const own = q.agents.map((id) => agents.get(id)).filter((a): a is Agent => a !== undefined);
    const m = q.metrics;
    return {
      id: q.id,
      name: q.name,
      waiting: m.waiting_now,
      longestWait: m.longest_wait,
      slaSeconds: q.thresholds.sla_max_wait,
      serviceLevel: m.service_level,
      target: m.sl_target ?? q.thresholds.sl_target,
      agentsAvailable: own.filter((a) => a.state === 'available').length,
      agentsOnCall: own.filter((a) => ON_A_CALL.includes(a.state)).length,
      openAlerts: alertsByQueue.get(q.id) ?? 0,
      abandoned: m.abandoned,
      offered: m.offered,
    };
  });
}

const CONNECTION_TEXT: Record<ConnectionState, string> = {
  signed_out: 'Signed out',
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline: retrying…',
};

interface Tile {
  element: HTMLElement;
  name: HTMLElement;
  sl: HTMLElement;
  target: HTMLElement;
  waiting: HTMLElement;
  longest: HTMLElement;
  available: HTMLElement;
  onCall: HTMLElement;
  alerts: HTMLElement;
  abandoned: HTMLElement;
}

export function wallView(store: Store): { element: HTMLElement; render(changes: Changes, now: number): void } {
  const time = h('time', { class: 'wall-clock num', attrs: { id: 'wall-clock' } });
  const conn = h('span', { class: 'wall-conn', attrs: { id: 'wall-connection', role: 'status', 'aria-live': 'polite' } });
  const centerSl = h('span', { class: 'num', attrs: { id: 'wall-center-sl' } });
  const centerWaiting = h('span', { class: 'num', attrs: { id: 'wall-center-waiting' } });
  const centerAlerts = h('span', { class: 'num', attrs: { id: 'wall-center-alerts' } });
  const day = h('span', { class: 'wall-day' });
  const tiles = h('div', { class: 'wall-tiles', attrs: { id: 'wall-tiles' } });
  const waitingNote = h('p', { class: 'wall-empty', attrs: { id: 'wall-loading' } }, 'Loading the queues…');
  const element = h(
    'main',
    { class: 'wall', attrs: { id: 'wall', 'aria-label': 'Queues, live' } },
    h(
      'header',
      { class: 'wall-head' },
      h('h1', null, 'Switchboard', day),
      h(
        'dl',
        { class: 'wall-center' },
        h('div', null, h('dt', null, 'Service level'), h('dd', null, centerSl)),
        h('div', null, h('dt', null, 'Waiting'), h('dd', null, centerWaiting)),
        h('div', null, h('dt', null, 'Open alerts'), h('dd', null, centerAlerts)),
      ),
      conn,
      time,
    ),
    waitingNote,
    tiles,
  );
  const shown = new Map<string, Tile>();

  function makeTile(id: string): Tile {
    const figure = (label: string, name: string) => {
      const value = h('dd', { class: 'num', attrs: { 'data-figure': name } });
      return { box: h('div', { class: `wall-fig f-${name}` }, h('dt', null, label), value), value };
    };
    const name = h('h2');
    const sl = h('span', { class: 'wall-sl-value num' });
    const target = h('span', { class: 'wall-sl-target num' });
    const waiting = figure('Waiting', 'waiting');
    const longest = figure('Longest wait', 'longest');
    const available = figure('Agents available', 'available');
    const onCall = figure('On a call', 'on-call');
    const alerts = figure('Open alerts', 'alerts');
    const abandoned = figure('Abandoned today', 'abandoned');
    const element = h(
      'article',
      { class: 'wall-tile', dataset: { queueId: id } },
      name,
      h('p', { class: 'wall-sl' }, sl, target),
      h('dl', { class: 'wall-figs' }, waiting.box, longest.box, available.box, onCall.box, alerts.box, abandoned.box),
    );
    return { element, name, sl, target, waiting: waiting.value, longest: longest.value, available: available.value, onCall: onCall.value, alerts: alerts.value, abandoned: abandoned.value };
  }

  function fill(t: Tile, f: QueueFigures): void {
    setText(t.name, f.name);
    setText(t.sl, percent(f.serviceLevel));
    setText(t.target, `target ${percent(f.target)} · service level today`);
    t.sl.className = `wall-sl-value num ${slTone(f.serviceLevel, f.target)}`;
    setText(t.waiting, String(f.waiting));
    toggleClass(t.waiting, 'hot', f.waiting > 0);
    setText(t.longest, clock(f.longestWait));
    toggleClass(t.longest, 'bad', f.waiting > 0 && f.longestWait > f.slaSeconds);
    setText(t.available, String(f.agentsAvailable));
    toggleClass(t.available, 'bad', f.agentsAvailable === 0 && f.waiting > 0);
    setText(t.onCall, String(f.agentsOnCall));
    setText(t.alerts, String(f.openAlerts));
    toggleClass(t.alerts, 'bad', f.openAlerts > 0);
    setText(t.abandoned, f.offered > 0 ? `${f.abandoned} of ${f.offered}` : '0');
  }

  return {
    element,
    render(changes, now) {
      const s = store.state;
      setText(time, new Date(now).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
      if (changes.session) {
        setText(conn, CONNECTION_TEXT[s.connection]);
        conn.dataset['state'] = s.connection;
        // figures that stopped moving must not look live
        toggleClass(element, 'stale', s.connection !== 'live');
      }
      if (!changes.metrics && !changes.alerts && !changes.session) return;
      const open = store.openAlerts();
      const figures = wallFigures(s.queues.values(), s.agents, open);
      waitingNote.hidden = s.synced;
      const wanted = new Set<string>();
      for (const f of figures) {
        wanted.add(f.id);
        let t = shown.get(f.id);
        if (!t) {
          t = makeTile(f.id);
          shown.set(f.id, t);
          tiles.append(t.element);
        }
        fill(t, f);
      }
      for (const [id, t] of shown) {
        if (!wanted.has(id)) {
          t.element.remove();
          shown.delete(id);
        }
      }
      tiles.dataset['count'] = String(figures.length);
      const c = s.center;
      setText(centerSl, c ? percent(c.service_level) : '–');
      centerSl.className = `num ${c ? slTone(c.service_level, c.sl_target) : ''}`;
      setText(centerWaiting, String(c?.waiting_now ?? figures.reduce((n, f) => n + f.waiting, 0)));
      setText(centerAlerts, String(open.length));
      toggleClass(centerAlerts, 'bad', open.length > 0);
      setText(day, c?.day ? ` · ${dayLabel(c.day, false)}` : '');
    },
  };
}
