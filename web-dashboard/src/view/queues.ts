/**
 * The center at a glance: the center's figures for today, one card per queue (service level
 * against its target, waiting now, longest wait, average speed of answer, abandoned and the abandon
 * rate, and the chart), and the agents table with each agent's presence and the controls to set
 * it. All from `metrics` pushes (and `agent_event`s for presence, at once).
 */
import type { Changes, Store } from '../store';
import { slTone } from '../reports';
import type { Agent, CenterMetrics, PresenceRequest, Queue } from '../wire';
import { h, replaceChildren, setAttrs, setText, toggleClass } from './dom';
import { chartSpanMs, sparkline } from './chart';
import { AGENT_STATE_LABEL, againstTarget, clock, dayLabel, NOT_READY_REASONS, percent, presenceText, reasonProblem, seconds, span, timeOfDay } from './format';

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
    const target = m.sl_target ?? q.thresholds.sl_target;
    const tone = slTone(m.service_level, target);
    const series = store.state.series.get(q.id) ?? [];
    return [
      h(
        'div',
        { class: `sl ${tone}`, attrs: { title: `Answered within ${sla} s ÷ (answered + abandoned), ${dayLabel(m.day)}` } },
        h('span', { class: 'big num', attrs: { 'aria-hidden': 'true' } }, h('span', { class: 'sl-value' }, percent(m.service_level)), h('span', { class: 'sl-target' }, ` / ${percent(target)}`)),
        h('span', { class: 'sr-only' }, `Service level ${againstTarget(m.service_level, target)}`),
        h('span', { class: 'label', attrs: { 'aria-hidden': 'true' } }, 'service level / target'),
        h('span', { class: 'label day', attrs: { title: `The figures of today, ${dayLabel(m.day)}, in the center's time zone` } }, `SLA ${sla} s · today, ${dayLabel(m.day, false)}`),
      ),
      h(
        'dl',
        { class: 'kpis' },
        kpi('Waiting', String(m.waiting_now), m.waiting_now > 0 ? 'hot' : ''),
        kpi('Longest', clock(m.longest_wait), m.longest_wait > sla ? 'bad' : ''),
        kpi('ASA', seconds(m.average_speed_of_answer), ''),
        kpi(
          'Abandoned',
          m.abandon_rate === null ? String(m.abandoned) : `${m.abandoned} · ${percent(m.abandon_rate)}`,
          m.abandoned > 0 ? 'warn' : '',
          `${m.abandoned} abandoned of ${m.offered} offered today; abandon rate ${percent(m.abandon_rate)} = abandoned ÷ (answered + abandoned)` +
            (m.abandoned_short > 0 ? `; and ${m.abandoned_short} short (under ${q.thresholds.short_abandon} s, not counted)` : ''),
          'abandoned',
        ),
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

function kpi(label: string, value: string, tone: string, title?: string, name?: string): HTMLElement {
  return h('div', { class: `kpi ${tone}`, attrs: { title, 'data-kpi': name } }, h('dt', null, label), h('dd', { class: 'num' }, value));
}

// ---- the center ---------------------------------------------------------------------------------

/** One line across the top: the whole center's figures for today (`GET /api/center`, the `metrics` push). */
export function centerSummary(store: Store): View {
  const element = h('section', { class: 'center-summary', attrs: { 'aria-label': 'Center today', id: 'center-summary' } });
  let drawn: CenterMetrics | null = null;
  return {
    element,
    render(changes) {
      if (!changes.metrics && !changes.session) return;
      const m = store.state.center;
      element.hidden = m === null;
      if (m === null || JSON.stringify(m) === JSON.stringify(drawn)) return;
      drawn = m;
      const tone = slTone(m.service_level, m.sl_target);
      replaceChildren(
        element,
        h('h2', null, 'Center today', h('span', { class: 'muted day' }, dayLabel(m.day))),
        h(
          'dl',
          { class: 'center-kpis' },
          h('div', { class: `ck ck-sl ${tone}`, attrs: { title: 'Answered within the SLA ÷ (answered + abandoned); the target is the lowest queue target' } },
            h('dt', null, 'Service level'), h('dd', { class: 'num', attrs: { id: 'center-sl' } }, againstTarget(m.service_level, m.sl_target))),
          centerKpi('Abandon rate', percent(m.abandon_rate), 'center-abandon-rate', (m.abandon_rate ?? 0) > 1 - m.sl_target ? 'bad' : ''),
          centerKpi('Offered', m.offered.toLocaleString(), 'center-offered'),
          centerKpi('Answered', m.answered.toLocaleString(), 'center-answered'),
          centerKpi('Abandoned', m.abandoned_short > 0 ? `${m.abandoned} (+${m.abandoned_short} short)` : String(m.abandoned), 'center-abandoned', m.abandoned > 0 ? 'warn' : ''),
          centerKpi('Waiting', String(m.waiting_now), 'center-waiting', m.waiting_now > 0 ? 'hot' : ''),
          centerKpi('ASA', seconds(m.average_speed_of_answer), 'center-asa'),
          centerKpi('AHT', m.average_handle_time === null ? '–' : clock(m.average_handle_time), 'center-aht'),
        ),
      );
    },
  };
}

function centerKpi(label: string, value: string, id: string, tone = ''): HTMLElement {
  return h('div', { class: `ck ${tone}` }, h('dt', null, label), h('dd', { class: 'num', attrs: { id } }, value));
}

// ---- agents -------------------------------------------------------------------------------------

export interface AgentActions {
  /** v1: `POST /api/agents/{id}/available` */
  onAvailable(id: string): void;
  /** `POST /api/agents/{id}/presence` */
  onPresence(id: string, presence: PresenceRequest): void;
}

/** The choices of an agent's presence menu, by option value. */
const PRESENCE_CHOICES: { value: string; label: string; request: PresenceRequest | null }[] = [
  { value: 'available', label: 'Available', request: { state: 'available' } },
  ...NOT_READY_REASONS.map((r) => ({ value: `not_ready:${r}`, label: `Not ready: ${r}`, request: { state: 'not_ready' as const, reason: r } })),
  { value: 'not_ready:other', label: 'Not ready: other reason…', request: null },
  { value: 'logged_out', label: 'Log out', request: { state: 'logged_out' } },
];

/** Whether a choice would change nothing (the agent is in it already). */
function isCurrent(a: Agent, value: string): boolean {
  if (value === 'available' || value === 'logged_out') return a.presence === value;
  return a.presence === 'not_ready' && value === `not_ready:${a.reason}`;
}

/** New rows built per frame: a center of thousands of agents appears over a few frames instead of freezing one. */
const ROWS_PER_FRAME = 150;

/** `again`: asks for another frame (more rows to build). */
export function agentsView(store: Store, actions: AgentActions, again: () => void = () => {}): View {
  const tbody = h('tbody');
  const element = h(
    'div',
    { class: 'agents', attrs: { id: 'agents' } },
    h(
      'table',
      { class: 'grid', attrs: { 'aria-label': 'Agents' } },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { attrs: { scope: 'col' } }, 'Agent · today'),
          h('th', { attrs: { scope: 'col' } }, 'Presence'),
        ),
      ),
      tbody,
    ),
  );
  type Figures = Record<'occupancy' | 'notReady' | 'answered' | 'missed' | 'aht', HTMLElement>;
  type Row = {
    tr: HTMLTableRowElement;
    head: HTMLElement;
    figs: Figures;
    pill: HTMLElement;
    sinceEl: HTMLElement;
    onCall: HTMLElement;
    callPill: HTMLElement;
    callId: Text;
    controls: HTMLElement;
    /** what the presence menu was built for */
    controlsKey: string;
    /** the agent as last drawn (the store replaces an agent object when it changes) */
    agent: Agent | null;
    otherOpen: boolean;
  };
  const rows = new Map<string, Row>();

  function presenceControls(a: Agent, row: Row): (HTMLElement | null)[] {
    const select = h('select', { class: 'presence-select', attrs: { 'aria-label': `Set the presence of ${a.id}`, 'data-agent-id': a.id } });
    select.append(h('option', { attrs: { value: '' } }, 'Set presence…'));
    for (const c of PRESENCE_CHOICES) {
      select.append(h('option', { attrs: { value: c.value, disabled: isCurrent(a, c.value) } }, c.label));
    }
    const reason = h('input', {
      class: 'reason-input',
      attrs: { type: 'text', maxlength: 64, placeholder: 'Reason', 'aria-label': `Not-ready reason for ${a.id}`, autocomplete: 'off', spellcheck: 'false' },
    });
    const problem = h('p', { class: 'field-problem', attrs: { role: 'alert' } });
    problem.hidden = true;
    const form = h(
      'form',
      { class: 'reason-form' },
      reason,
      h('button', { class: 'btn tiny primary', attrs: { type: 'submit' } }, 'Set'),
      h('button', { class: 'btn tiny ghost', attrs: { type: 'button' }, on: { click: () => closeOther() } }, 'Cancel'),
      problem,
    );
    form.hidden = !row.otherOpen;
    const closeOther = () => {
      row.otherOpen = false;
      form.hidden = true;
      select.value = '';
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const why = reasonProblem(reason.value);
      setText(problem, why ?? '');
      problem.hidden = why === null;
      if (why !== null) {
        reason.focus();
        return;
      }
      actions.onPresence(a.id, { state: 'not_ready', reason: reason.value.trim() });
      closeOther();
    });
    select.addEventListener('change', () => {
      const choice = PRESENCE_CHOICES.find((c) => c.value === select.value);
      if (!choice) return;
      if (choice.request === null) {
        row.otherOpen = true;
        form.hidden = false;
        reason.focus();
        return;
      }
      actions.onPresence(a.id, choice.request);
      select.value = '';
    });
    const setAvailable =
      a.state === 'on_break' ? h('button', { class: 'btn tiny', attrs: { type: 'button' }, on: { click: () => actions.onAvailable(a.id) } }, 'Set available') : null;
    return [select, setAvailable, form];
  }

  /** The parts of a row that change; the row is built once and only these are updated. */
  function makeRow(a: Agent): Row {
    const figs = {
      occupancy: fig('occupancy', '', 'occupancy'),
      notReady: fig('not ready', '', 'not-ready'),
      answered: fig('ans.', '', 'answered', 'Answered'),
      missed: fig('missed', '', 'missed', 'Missed'),
      aht: fig('AHT', '', 'aht', 'Average handle time'),
    };
    const head = h(
      'th',
      { attrs: { scope: 'row' } },
      h('div', { class: 'agent-id' }, a.id),
      h('div', { class: 'agent-figures small' }, figs.occupancy, figs.notReady, h('span', null, figs.answered, ' · ', figs.missed), figs.aht),
    );
    const pill = h('span', { class: 'pill' });
    const sinceEl = h('div', { class: 'muted small since' });
    const callPill = h('span', { class: 'pill' });
    const callId = document.createTextNode('');
    const onCall = h('div', { class: 'on-call small' }, callPill, callId);
    const controls = h('div', { class: 'presence-controls' });
    const tr = h('tr', { dataset: { agentId: a.id } }, head, h('td', { class: 'presence' }, pill, sinceEl, onCall, controls));
    return { tr, head, figs, pill, sinceEl, onCall, callPill, callId, controls, controlsKey: '', agent: null, otherOpen: false };
  }

  function update(row: Row, a: Agent, now: number): void {
    const queues = a.queues.map((q) => store.state.queues.get(q)?.name ?? q).join(', ');
    setAttrs(row.head, { title: queues ? `Queues: ${queues}` : 'No queues' });
    const reasons = Object.entries(a.not_ready_by_reason ?? {})
      .sort((x, y) => y[1] - x[1])
      .map(([r, t]) => `${r.replace(/_/g, ' ')} ${clock(t)}`)
      .join(', ');
    setFig(row.figs.occupancy, percent(a.occupancy), `(talk + hold + wrap-up) ÷ logged-in time; logged in ${clock(a.logged_in_time)}, wrap-up ${clock(a.wrap_up_time)}`);
    setFig(row.figs.notReady, clock(a.not_ready_time), reasons ? `Not ready: ${reasons}` : 'No not-ready time today');
    setFig(row.figs.answered, String(a.answered));
    setFig(row.figs.missed, String(a.missed), undefined, a.missed > 0 ? 'warn-text' : '');
    setFig(row.figs.aht, a.average_handle_time === null ? '–' : clock(a.average_handle_time));
    setClass(row.pill, `pill p-${a.presence}`);
    setAttrs(row.pill, { 'data-presence': a.presence });
    setText(row.pill, presenceText(a));
    setText(row.sinceEl, sinceText(a, now));
    const busy = !!a.current_call_id || ['ringing', 'on_call', 'on_hold'].includes(a.state);
    row.onCall.hidden = !busy;
    if (busy) {
      setClass(row.callPill, `pill a-${a.state}`);
      setText(row.callPill, AGENT_STATE_LABEL[a.state] ?? a.state);
      const id = a.current_call_id ? ` ${a.current_call_id}` : '';
      if (row.callId.data !== id) row.callId.data = id;
    }
    // the menu only changes with the presence (and "Set available" with a break): rebuilt then, not on every push
    const key = `${a.presence}|${a.reason ?? ''}|${a.state === 'on_break'}`;
    if (key !== row.controlsKey) {
      const focused = document.activeElement instanceof HTMLSelectElement && row.controls.contains(document.activeElement);
      replaceChildren(row.controls, ...presenceControls(a, row));
      row.controlsKey = key;
      if (focused) row.controls.querySelector<HTMLSelectElement>('select.presence-select')?.focus();
    }
    row.agent = a;
  }

  /** Hidden (another tab is shown): nothing is drawn, and the first render once shown draws all. */
  let stale = true;

  return {
    element,
    render(changes, now, tick) {
      if (changes.metrics) stale = true;
      if (element.closest('[hidden]') !== null) return;
      if (!stale) {
        if (tick) for (const r of rows.values()) if (r.agent) setText(r.sinceEl, sinceText(r.agent, now));
        return;
      }
      stale = false;
      const agents = [...store.state.agents.values()].sort((x, y) => x.id.localeCompare(y.id));
      const wanted = new Set(agents.map((a) => a.id));
      for (const [id, r] of rows) {
        if (!wanted.has(id)) {
          r.tr.remove();
          rows.delete(id);
        }
      }
      let prev: Element | null = null;
      let built = 0;
      for (const a of agents) {
        let r = rows.get(a.id);
        if (!r) {
          if (built === ROWS_PER_FRAME) {
            stale = true;
            again();
            break;
          }
          built++;
          r = makeRow(a);
          rows.set(a.id, r);
        }
        // a reason being typed is not redrawn under the supervisor's hands
        if (!r.otherOpen && r.agent !== a) update(r, a, now);
        else setText(r.sinceEl, sinceText(a, now));
        r.tr.dataset['presence'] = a.presence;
        toggleClass(r.tr, 'busy', a.state !== 'available');
        const next: Element | null = prev ? prev.nextElementSibling : tbody.firstElementChild;
        if (next !== r.tr) tbody.insertBefore(r.tr, next);
        prev = r.tr;
      }
      if (agents.length === 0) replaceChildren(tbody, h('tr', null, h('td', { attrs: { colspan: 2 }, class: 'empty-note' }, 'No agents yet.')));
      else for (const el of [...tbody.children]) if (!(el instanceof HTMLTableRowElement) || !el.dataset['agentId']) el.remove();
    },
  };
}

/** "62% occ.": a figure first, then what it is (the title says more). */
function fig(label: string, value: string, name: string, title?: string, tone = ''): HTMLElement {
  return h('span', { class: 'fig', attrs: { title, 'data-fig': name } }, h('span', { class: `num ${tone}` }, value), ` ${label}`);
}

/** Updates a figure made by {@link fig} in place. */
function setFig(el: HTMLElement, value: string, title?: string, tone = ''): void {
  const num = el.firstElementChild as HTMLElement;
  setText(num, value);
  setClass(num, `num ${tone}`);
  if (title !== undefined) setAttrs(el, { title });
}

function setClass(el: Element, className: string): void {
  if (el.className !== className) el.className = className;
}

/** "since 10:02:07 · 12 min" */
function sinceText(a: Agent, now: number): string {
  if (!a.since) return '';
  const t = Date.parse(a.since);
  return Number.isNaN(t) ? '' : `since ${timeOfDay(a.since)} · ${span((now - t) / 1000)}`;
}
