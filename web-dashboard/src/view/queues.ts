/**
 * The center at a glance: one card per queue (waiting now, longest wait, service level, average
 * speed of answer, abandoned, and the chart), and the agents table. Both from `metrics` pushes.
 */
import type { Changes, Store } from '../store';
import type { Agent, Queue } from '../wire';
import { h, replaceChildren, setText, toggleClass } from './dom';
import { chartSpanMs, sparkline } from './chart';
import { AGENT_STATE_LABEL, clock, percent, seconds } from './format';

export interface View {
  element: HTMLElement;
  render(changes: Changes, now: number, tick: boolean): void;
}

export function queueStrip(store: Store, onPickQueue: (id: string) => void): View {
  const element = h('section', { class: 'queue-strip', attrs: { 'aria-label': 'Queues' } });
  /** Per queue: the card and the part of it that is redrawn (the header, with its button, stays put so focus does). */
  const cards = new Map<string, { card: HTMLElement; name: HTMLButtonElement; legendSpan: HTMLSpanElement; body: HTMLElement[] }>();

  function makeCard(q: Queue) {
    const name = h('button', { class: 'link queue-name', attrs: { type: 'button', title: "Show this queue's calls" }, on: { click: () => onPickQueue(q.id) } });
    const legendSpan = h('span');
    const card = h(
      'article',
      { class: 'queue-card', dataset: { queueId: q.id } },
      h('header', null, name, h('span', { class: 'legend', attrs: { 'aria-hidden': 'true' } }, h('span', { class: 'key waiting' }, 'waiting'), h('span', { class: 'key level' }, 'SL'), legendSpan)),
    );
    return { card, name, legendSpan, body: [] as HTMLElement[] };
  }

  function body(q: Queue, now: number, span: string): HTMLElement[] {
    const m = q.metrics;
    const sla = q.thresholds.sla_max_wait;
    const slClass = m.service_level === null ? '' : m.service_level >= 0.8 ? 'good' : m.service_level >= 0.6 ? 'warn' : 'bad';
    const series = store.state.series.get(q.id) ?? [];
    return [
      h('div', { class: `sl ${slClass}` }, h('span', { class: 'big num' }, percent(m.service_level)), h('span', { class: 'label' }, `service level · SLA ${sla} s`)),
      h(
        'dl',
        { class: 'kpis' },
        kpi('Waiting', String(m.waiting_now), m.waiting_now > 0 ? 'hot' : ''),
        kpi('Longest', clock(m.longest_wait), m.longest_wait > sla ? 'bad' : ''),
        kpi('ASA', seconds(m.average_speed_of_answer), ''),
        kpi('Abandoned', String(m.abandoned), m.abandoned > 0 ? 'warn' : ''),
      ),
      h('figure', { class: 'chart' }, sparkline(series, now, `${q.name}: waiting calls and service level over the last ${span}`)),
    ];
  }

  return {
    element,
    render(changes, _now, tick) {
      if (!changes.metrics && !tick) return;
      const now = Date.now(); // the chart's samples are stamped with the browser's clock
      const wanted = new Set<string>();
      for (const q of store.state.queues.values()) {
        wanted.add(q.id);
        let c = cards.get(q.id);
        if (!c) {
          c = makeCard(q);
          cards.set(q.id, c);
          element.append(c.card);
        }
        const minutes = Math.round(chartSpanMs(store.state.series.get(q.id) ?? [], now) / 60_000);
        const span = minutes <= 1 ? '1 min' : `${minutes} min`;
        setText(c.name, q.name);
        setText(c.legendSpan, span);
        for (const old of c.body) old.remove();
        c.body = body(q, now, span);
        c.card.append(...c.body);
      }
      for (const [id, c] of cards) {
        if (!wanted.has(id)) {
          c.card.remove();
          cards.delete(id);
        }
      }
    },
  };
}

function kpi(label: string, value: string, tone: string): HTMLElement {
  return h('div', { class: `kpi ${tone}` }, h('dt', null, label), h('dd', { class: 'num' }, value));
}

export function agentsView(store: Store, onAvailable: (id: string) => void): View {
  const tbody = h('tbody');
  const element = h(
    'div',
    { class: 'agents' },
    h(
      'table',
      { class: 'grid', attrs: { 'aria-label': 'Agents' } },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { attrs: { scope: 'col' } }, 'Agent'),
          h('th', { attrs: { scope: 'col' } }, 'State'),
          h('th', { class: 'num', attrs: { scope: 'col', title: 'Answered' } }, 'Ans.'),
          h('th', { class: 'num', attrs: { scope: 'col' } }, 'Missed'),
          h('th', { class: 'num', attrs: { scope: 'col', title: 'Average handle time' } }, 'AHT'),
        ),
      ),
      tbody,
    ),
  );
  const rows = new Map<string, { tr: HTMLTableRowElement; agent: Agent | null }>();

  function fill(tr: HTMLTableRowElement, a: Agent): void {
    const stateCell = h('td', null, h('span', { class: `pill a-${a.state}` }, AGENT_STATE_LABEL[a.state] ?? a.state));
    if (a.current_call_id) stateCell.append(h('div', { class: 'muted small' }, a.current_call_id));
    if (a.state === 'on_break') {
      stateCell.append(h('button', { class: 'btn tiny', attrs: { type: 'button' }, on: { click: () => onAvailable(a.id) } }, 'Set available'));
    }
    replaceChildren(
      tr,
      h('th', { attrs: { scope: 'row' } }, a.id, h('div', { class: 'muted small' }, a.queues.map((q) => store.state.queues.get(q)?.name ?? q).join(', '))),
      stateCell,
      h('td', { class: 'num' }, String(a.answered)),
      h('td', { class: `num ${a.missed > 0 ? 'warn-text' : ''}` }, String(a.missed)),
      h('td', { class: 'num' }, a.average_handle_time === null ? '–' : clock(a.average_handle_time)),
    );
  }

  return {
    element,
    render(changes) {
      if (!changes.metrics) return;
      const agents = [...store.state.agents.values()].sort((x, y) => x.id.localeCompare(y.id));
      const wanted = new Set(agents.map((a) => a.id));
      for (const [id, r] of rows) {
        if (!wanted.has(id)) {
          r.tr.remove();
          rows.delete(id);
        }
      }
      let prev: Element | null = null;
      for (const a of agents) {
        let r = rows.get(a.id);
        if (!r) {
          r = { tr: h('tr', { dataset: { agentId: a.id } }), agent: null };
          rows.set(a.id, r);
        }
        if (JSON.stringify(r.agent) !== JSON.stringify(a)) {
          fill(r.tr, a);
          r.agent = a;
        }
        toggleClass(r.tr, 'busy', a.state !== 'available');
        const next: Element | null = prev ? prev.nextElementSibling : tbody.firstElementChild;
        if (next !== r.tr) tbody.insertBefore(r.tr, next);
        prev = r.tr;
      }
      if (agents.length === 0) replaceChildren(tbody, h('tr', null, h('td', { attrs: { colspan: 5 }, class: 'empty-note' }, 'No agents yet.')));
      else for (const el of [...tbody.children]) if (!(el instanceof HTMLTableRowElement) || !el.dataset['agentId']) el.remove();
    },
  };
}
