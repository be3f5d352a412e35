/**
 * Open alerts, newest first, as compact cards (kind, call, age and an Acknowledge button on one
 * line, the message below in one line), each with the call it concerns. A new alert slides in
 * highlighted, the panel's count pulses and a screen reader hears it. Alerts that resolve
 * themselves (their call moved on) leave the list. Above the cards: a queue filter, an optional
 * note for acknowledgements, and "Ack all", which acknowledges exactly the open alerts shown (by
 * their ids: never one that arrived after the click). The panel can be expanded to take most of
 * the side column. Below the cards, the last few acknowledged: who acknowledged each, and when.
 */
import type { Changes, Store } from '../store';
import type { Alert } from '../wire';
import { h, replaceChildren, setText, toggleClass } from './dom';
import { ackedText, ago, ALERT_LABEL, timeOfDay } from './format';

/** Alerts listed at once (the newest); the count above says how many are open in all. */
const MAX_SHOWN = 100;

/** Acknowledged alerts listed under the open ones (the most recently acknowledged). */
const ACKED_SHOWN = 5;

/** How long a new alert stays highlighted. */
const FRESH_MS = 6_000;

/** The longest note the server keeps with an acknowledgement. */
export const MAX_NOTE = 500;

/** Most alerts one bulk acknowledgement may name (the server's limit). */
export const MAX_BULK = 1_000;

/** The queue filter's value for every queue. */
export const ALL_QUEUES = '';

export interface AlertsPanel {
  element: HTMLElement;
  render(changes: Changes, now: number, tick: boolean): void;
  /** What "Ack all" does (the keyboard's Shift+K). */
  ackAllShown(): void;
  /** Acknowledges the open alert shown of this call, else the newest shown (the keyboard's K); false when none is shown. */
  ackOne(callId: string | null): boolean;
}

export interface AlertActions {
  /** acknowledges one alert, with the note typed (null: none) */
  ack(alert: Alert, note: string | null): Promise<void>;
  /** acknowledges these alerts at once (the bulk route), with the note typed */
  ackMany(ids: string[], note: string | null): Promise<void>;
  showCall(id: string): void;
  /** a queue's display name (its id when unknown) */
  queueName(id: string): string;
}

interface Item {
  li: HTMLLIElement;
  ago: HTMLSpanElement;
  ack: HTMLButtonElement;
}

/** The queues that have open alerts, by how many (most first, then by id), for the filter. */
export function alertQueues(open: Alert[]): { queue: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const a of open) {
    const q = a.queue_id ?? '';
    counts.set(q, (counts.get(q) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([queue, count]) => ({ queue, count }))
    .sort((x, y) => y.count - x.count || (x.queue < y.queue ? -1 : x.queue > y.queue ? 1 : 0));
}

/** The open alerts the panel shows for a queue filter ({@link ALL_QUEUES}: all), newest first. */
export function shownAlerts(open: Alert[], queue: string): Alert[] {
  return queue === ALL_QUEUES ? open : open.filter((a) => (a.queue_id ?? '') === queue);
}

/** What "Ack all" sends: the ids of the alerts shown, at most {@link MAX_BULK} (the oldest first). */
export function bulkIds(shown: Alert[]): string[] {
  return shown
    .slice(-MAX_BULK)
    .map((a) => a.id)
    .reverse();
}

/** The note typed, trimmed: null when empty; an error text when too long. */
export function noteOf(text: string): { note: string | null; error: string | null } {
  const note = text.trim();
  if ([...note].length > MAX_NOTE) return { note: null, error: `The note is longer than ${MAX_NOTE} characters.` };
  return { note: note === '' ? null : note, error: null };
}

export function alertsPanel(store: Store, actions: AlertActions): AlertsPanel {
  const count = h('span', { class: 'count', attrs: { 'aria-label': '0 open alerts' } }, '0');
  const expand = h('button', { class: 'btn small ghost', attrs: { type: 'button', 'aria-pressed': 'false', 'aria-controls': 'open-alerts', title: 'Give the alerts more room' } }, 'Expand');
  const queueSelect = h('select', { class: 'alert-queue', attrs: { 'aria-label': 'Alerts of queue', id: 'alert-queue' } });
  const note = h('input', {
    class: 'alert-note',
    attrs: { type: 'text', id: 'alert-note', maxlength: MAX_NOTE, placeholder: 'Note (optional)', 'aria-label': 'Note for acknowledging', autocomplete: 'off' },
  });
  const ackAll = h('button', { class: 'btn small', attrs: { type: 'button', id: 'ack-all' } }, 'Ack all');
  const toolbar = h('div', { class: 'alerts-tools' }, queueSelect, note, ackAll);
  const list = h('ul', { class: 'alerts compact', attrs: { 'aria-label': 'Open alerts', id: 'open-alerts' } });
  const empty = h('p', { class: 'empty-note' }, 'No open alerts. All calls are within the rules.');
  const more = h('p', { class: 'empty-note' });
  const announcer = h('div', { class: 'sr-only', attrs: { 'aria-live': 'assertive', role: 'status' } });
  const ackedHead = h('h3', { class: 'acked-title' }, 'Recently acknowledged');
  const ackedList = h('ul', { class: 'alerts acked', attrs: { 'aria-label': 'Recently acknowledged alerts', id: 'acked-alerts' } });
  const element = h(
    'section',
    { class: 'panel alerts-panel', attrs: { 'aria-labelledby': 'alerts-title', id: 'alerts-panel' } },
    h('header', { class: 'panel-head' }, h('h2', { attrs: { id: 'alerts-title' } }, 'Alerts'), count, expand),
    toolbar,
    empty,
    list,
    more,
    ackedHead,
    ackedList,
    announcer,
  );
  const items = new Map<string, Item>();
  const freshUntil = new Map<string, number>();
  let queue = ALL_QUEUES;
  let shown: Alert[] = [];
  let busy = false;

  expand.addEventListener('click', () => {
    const on = !element.classList.contains('expanded');
    toggleClass(element, 'expanded', on);
    expand.setAttribute('aria-pressed', String(on));
    setText(expand, on ? 'Collapse' : 'Expand');
  });

  /** The note to send, or null after telling the supervisor it is too long. */
  function typedNote(): { ok: boolean; note: string | null } {
    const { note: value, error } = noteOf(note.value);
    note.setCustomValidity(error ?? '');
    if (error) {
      note.reportValidity();
      return { ok: false, note: null };
    }
    return { ok: true, note: value };
  }

  ackAll.addEventListener('click', () => ackAllShown());

  function ackAllShown(): void {
    if (busy) return;
    const ids = bulkIds(shown);
    const typed = typedNote();
    if (ids.length === 0 || !typed.ok) return;
    busy = true;
    ackAll.disabled = true;
    setText(ackAll, 'Acknowledging…');
    actions.ackMany(ids, typed.note).then(
      () => {
        note.value = '';
      },
      () => undefined,
    ).finally(() => {
      busy = false;
      setText(ackAll, ackAllLabel());
      ackAll.disabled = shown.length === 0;
    });
  }

  queueSelect.addEventListener('change', () => {
    queue = queueSelect.value;
    queuesDrawn = '';
    draw(Date.now(), false);
  });

  function ackAllLabel(): string {
    return shown.length === 0 ? 'Ack all' : `Ack all ${shown.length.toLocaleString()}`;
  }

  /** What the button does, in words (its accessible name and tooltip). */
  function ackAllTitle(): string {
    const where = queue === ALL_QUEUES ? 'in all queues' : `in ${actions.queueName(queue)}`;
    return `Acknowledge the ${shown.length.toLocaleString()} open alerts shown ${where}`;
  }

  function makeItem(a: Alert): Item {
    const agoEl = h('span', { class: 'ago' });
    const ack = h('button', { class: 'btn small', attrs: { type: 'button' } }, 'Acknowledge');
    ack.addEventListener('click', () => {
      const typed = typedNote();
      if (!typed.ok) return;
      ack.disabled = true;
      actions.ack(a, typed.note).then(
        () => {
          note.value = '';
        },
        () => {
          ack.disabled = false;
        },
      );
    });
    const callLink = h('button', { class: 'link mono', attrs: { type: 'button' }, on: { click: () => actions.showCall(a.call_id) } }, a.call_id);
    const li = h(
      'li',
      { class: `alert k-${a.kind}`, dataset: { alertId: a.id, callId: a.call_id } },
      h('div', { class: 'alert-top' }, h('span', { class: `kind k-${a.kind}` }, ALERT_LABEL[a.kind] ?? a.kind), callLink, agoEl, ack),
      h('p', { class: 'message', attrs: { title: `${a.message} (${timeOfDay(a.at)})` } }, a.message),
    );
    return { li, ago: agoEl, ack };
  }

  function ackedItem(a: Alert): HTMLLIElement {
    const callLink = h('button', { class: 'link mono', attrs: { type: 'button' }, on: { click: () => actions.showCall(a.call_id) } }, a.call_id);
    return h(
      'li',
      { class: `alert acked k-${a.kind}`, dataset: { alertId: a.id, callId: a.call_id } },
      h('div', { class: 'alert-top' }, h('span', { class: `kind k-${a.kind}` }, ALERT_LABEL[a.kind] ?? a.kind), callLink),
      h('p', { class: 'acked-by muted' }, ackedText(a), a.note ? h('span', { class: 'ack-note' }, ` — “${a.note}”`) : null),
    );
  }

  function renderAcked(): void {
    const acked = store.recentlyAcked(ACKED_SHOWN);
    ackedHead.hidden = acked.length === 0;
    ackedList.hidden = acked.length === 0;
    replaceChildren(ackedList, ...acked.map(ackedItem));
  }

  let queuesDrawn = '';

  function renderQueues(allOpen: Alert[]): void {
    const queues = alertQueues(allOpen);
    if (queue !== ALL_QUEUES && !queues.some((q) => q.queue === queue)) queue = ALL_QUEUES;
    // the options change with the counts only: not redrawn for every alert of a busy minute
    const drawn = `${queue}|${allOpen.length}|${queues.map((q) => `${q.queue}:${q.count}`).join(',')}`;
    if (drawn === queuesDrawn) return;
    queuesDrawn = drawn;
    const options = [
      h('option', { attrs: { value: ALL_QUEUES } }, `All queues (${allOpen.length.toLocaleString()})`),
      ...queues.map((q) => h('option', { attrs: { value: q.queue } }, `${actions.queueName(q.queue)} (${q.count.toLocaleString()})`)),
    ];
    replaceChildren(queueSelect, ...options);
    queueSelect.value = queue;
  }

  function draw(now: number, alertsChanged: boolean): void {
    const allOpen = store.openAlerts();
    if (alertsChanged) renderQueues(allOpen);
    shown = shownAlerts(allOpen, queue);
    const open = shown.slice(0, MAX_SHOWN);
    more.hidden = shown.length <= MAX_SHOWN;
    setText(more, `and ${(shown.length - open.length).toLocaleString()} older open alerts`);
    const wanted = new Set(open.map((a) => a.id));
    for (const [id, item] of items) {
      if (!wanted.has(id)) {
        item.li.remove();
        items.delete(id);
      }
    }
    let prev: Element | null = null;
    for (const a of open) {
      let item = items.get(a.id);
      if (!item) {
        item = makeItem(a);
        items.set(a.id, item);
      }
      const fresh = (freshUntil.get(a.id) ?? 0) > now;
      toggleClass(item.li, 'fresh', fresh);
      if (!fresh) freshUntil.delete(a.id);
      setText(item.ago, ago(a.at, now));
      const next: Element | null = prev ? prev.nextElementSibling : list.firstElementChild;
      if (next !== item.li) list.insertBefore(item.li, next);
      prev = item.li;
    }
    setText(count, allOpen.length.toLocaleString());
    count.setAttribute('aria-label', `${allOpen.length} open alerts`);
    toggleClass(count, 'hot', allOpen.length > 0);
    empty.hidden = allOpen.length > 0;
    toolbar.hidden = allOpen.length === 0;
    if (!busy) {
      setText(ackAll, ackAllLabel());
      ackAll.title = ackAllTitle();
      ackAll.setAttribute('aria-label', ackAllTitle());
      ackAll.disabled = shown.length === 0;
    }
  }

  return {
    element,
    render(changes, now, tick) {
      for (const id of changes.newAlerts) freshUntil.set(id, now + FRESH_MS);
      if (changes.alerts) renderAcked();
      if (!changes.alerts && !tick) return;
      draw(now, changes.alerts);
      if (changes.newAlerts.length > 0) {
        count.classList.remove('pulse');
        void count.offsetWidth; // restart the animation
        count.classList.add('pulse');
        const newest = store.state.alerts.get(changes.newAlerts[changes.newAlerts.length - 1]!);
        if (newest) announcer.textContent = `New alert: ${ALERT_LABEL[newest.kind] ?? newest.kind}, call ${newest.call_id}`;
      }
    },
    ackAllShown,
    ackOne(callId) {
      const target = shown.find((a) => a.call_id === callId) ?? shown[0];
      const button = target ? items.get(target.id)?.ack : undefined;
      if (!button) return false;
      if (!button.disabled) button.click(); // the same as a click: with the note typed, once
      return true;
    },
  };
}
