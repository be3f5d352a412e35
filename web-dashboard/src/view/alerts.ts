/**
 * Open alerts, newest first, each with the call it concerns and an Acknowledge button. A new
 * alert slides in highlighted, the panel's count pulses and a screen reader hears it. Below them,
 * the last few acknowledged: who acknowledged each, and when.
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

export interface AlertsPanel {
  element: HTMLElement;
  render(changes: Changes, now: number, tick: boolean): void;
}

interface Item {
  li: HTMLLIElement;
  ago: HTMLSpanElement;
  ack: HTMLButtonElement;
}

export function alertsPanel(store: Store, onAck: (alert: Alert) => Promise<void>, onShowCall: (id: string) => void): AlertsPanel {
  const count = h('span', { class: 'count', attrs: { 'aria-label': '0 open alerts' } }, '0');
  const list = h('ul', { class: 'alerts', attrs: { 'aria-label': 'Open alerts', id: 'open-alerts' } });
  const empty = h('p', { class: 'empty-note' }, 'No open alerts. All calls are within the rules.');
  const more = h('p', { class: 'empty-note' });
  const announcer = h('div', { class: 'sr-only', attrs: { 'aria-live': 'assertive', role: 'status' } });
  const ackedHead = h('h3', { class: 'acked-title' }, 'Recently acknowledged');
  const ackedList = h('ul', { class: 'alerts acked', attrs: { 'aria-label': 'Recently acknowledged alerts', id: 'acked-alerts' } });
  const element = h(
    'section',
    { class: 'panel alerts-panel', attrs: { 'aria-labelledby': 'alerts-title', id: 'alerts-panel' } },
    h('header', { class: 'panel-head' }, h('h2', { attrs: { id: 'alerts-title' } }, 'Alerts'), count),
    empty,
    list,
    more,
    ackedHead,
    ackedList,
    announcer,
  );
  const items = new Map<string, Item>();
  const freshUntil = new Map<string, number>();

  function makeItem(a: Alert): Item {
    const agoEl = h('span', { class: 'ago' });
    const ack = h('button', { class: 'btn small', attrs: { type: 'button' } }, 'Acknowledge');
    ack.addEventListener('click', () => {
      ack.disabled = true;
      setText(ack, 'Acknowledging…');
      onAck(a).catch(() => {
        ack.disabled = false;
        setText(ack, 'Acknowledge');
      });
    });
    const callLink = h('button', { class: 'link mono', attrs: { type: 'button' }, on: { click: () => onShowCall(a.call_id) } }, a.call_id);
    const li = h(
      'li',
      { class: `alert k-${a.kind}`, dataset: { alertId: a.id, callId: a.call_id } },
      h('div', { class: 'alert-top' }, h('span', { class: `kind k-${a.kind}` }, ALERT_LABEL[a.kind] ?? a.kind), callLink, agoEl),
      h('p', { class: 'message' }, a.message),
      h('div', { class: 'alert-bottom' }, h('span', { class: 'muted num' }, timeOfDay(a.at)), ack),
    );
    return { li, ago: agoEl, ack };
  }

  function ackedItem(a: Alert): HTMLLIElement {
    const callLink = h('button', { class: 'link mono', attrs: { type: 'button' }, on: { click: () => onShowCall(a.call_id) } }, a.call_id);
    return h(
      'li',
      { class: `alert acked k-${a.kind}`, dataset: { alertId: a.id, callId: a.call_id } },
      h('div', { class: 'alert-top' }, h('span', { class: `kind k-${a.kind}` }, ALERT_LABEL[a.kind] ?? a.kind), callLink),
      h('p', { class: 'acked-by muted' }, ackedText(a)),
    );
  }

  function renderAcked(): void {
    const acked = store.recentlyAcked(ACKED_SHOWN);
    ackedHead.hidden = acked.length === 0;
    ackedList.hidden = acked.length === 0;
    replaceChildren(ackedList, ...acked.map(ackedItem));
  }

  return {
    element,
    render(changes, now, tick) {
      for (const id of changes.newAlerts) freshUntil.set(id, now + FRESH_MS);
      if (changes.alerts) renderAcked();
      if (!changes.alerts && !tick) return;
      const allOpen = store.openAlerts();
      const open = allOpen.slice(0, MAX_SHOWN);
      more.hidden = allOpen.length <= MAX_SHOWN;
      setText(more, `and ${(allOpen.length - open.length).toLocaleString()} older open alerts`);
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
      if (changes.newAlerts.length > 0) {
        count.classList.remove('pulse');
        void count.offsetWidth; // restart the animation
        count.classList.add('pulse');
        const newest = store.state.alerts.get(changes.newAlerts[changes.newAlerts.length - 1]!);
        if (newest) announcer.textContent = `New alert: ${ALERT_LABEL[newest.kind] ?? newest.kind}, call ${newest.call_id}`;
      }
    },
  };
}
