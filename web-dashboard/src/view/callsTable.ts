/**
 * The live calls table: a real `<table>` with column headers, windowed so that only the rows in
 * view (plus a margin) are in the DOM; 5,000 calls cost the same as 40. Rows are keyed by call id
 * and updated in place; a row element is only rebuilt when its call changed (the store replaces a
 * row object on every push, so identity tells).
 */
import type { CallRow, SortColumn, Store } from '../store';
import { elapsedSeconds } from '../store';
import type { Call } from '../wire';
import { h, replaceChildren, setAttrs, setText, toggleClass } from './dom';
import { clock, flagLabel, humanize, shortEventLabel, STATUS_LABEL, timeOfDay } from './format';

/** Flags by how much they need a supervisor: alerts first, bookkeeping last. */
const FLAG_ORDER: string[] = ['sla_breach', 'hold_exceeded', 'ring_no_answer', 'long_wait', 'short_call', 'review', 'abandoned', 'survey_requested'];

/** Fixed row height (px): windowing needs it; the stylesheet uses the same value. */
export const ROW_HEIGHT = 36;
/** Rows rendered above and below the viewport. */
const OVERSCAN = 12;
/** Most frequent re-sort while pushes stream in; rows update in place in between. */
const MIN_ORDER_INTERVAL_MS = 250;

interface Column {
  key: SortColumn;
  label: string;
  className: string;
}

const COLUMNS: Column[] = [
  { key: 'id', label: 'Call', className: 'c-id' },
  { key: 'type', label: 'Type', className: 'c-type' },
  { key: 'queue', label: 'Queue', className: 'c-queue' },
  { key: 'agent', label: 'Agent', className: 'c-agent' },
  { key: 'status', label: 'Status', className: 'c-status' },
  { key: 'time', label: 'Wait / talk', className: 'c-time' },
  { key: 'flags', label: 'Flags', className: 'c-flags' },
  { key: 'last_event', label: 'Last event', className: 'c-last' },
];

interface RowEl {
  tr: HTMLTableRowElement;
  rendered: CallRow | null;
  idButton: HTMLButtonElement;
  type: HTMLTableCellElement;
  queue: HTMLTableCellElement;
  agent: HTMLTableCellElement;
  status: HTMLSpanElement;
  time: HTMLTableCellElement;
  flags: HTMLTableCellElement;
  last: HTMLTableCellElement;
}

export interface CallsTable {
  element: HTMLElement;
  /** "42 of 5,000 calls shown" */
  footer: HTMLElement;
  render(now: number, tick: boolean, force: boolean): void;
}

export function callsTable(
  store: Store,
  onSelect: (id: string) => void,
  onSort: (c: SortColumn) => void,
  requestRender: () => void,
): CallsTable {
  const headButtons = new Map<SortColumn, HTMLTableCellElement>();
  const headRow = h(
    'tr',
    null,
    ...COLUMNS.map((c) => {
      const th = h(
        'th',
        { class: c.className, attrs: { scope: 'col' } },
        h('button', { class: 'sort', attrs: { type: 'button' }, on: { click: () => onSort(c.key) } }, c.label, h('span', { class: 'arrow', attrs: { 'aria-hidden': 'true' } })),
      );
      headButtons.set(c.key, th);
      return th;
    }),
  );
  const topSpacer = h('tr', { class: 'spacer', attrs: { 'aria-hidden': 'true' } }, h('td', { attrs: { colspan: COLUMNS.length } }));
  const bottomSpacer = h('tr', { class: 'spacer', attrs: { 'aria-hidden': 'true' } }, h('td', { attrs: { colspan: COLUMNS.length } }));
  const emptyRow = h('tr', { class: 'empty' }, h('td', { attrs: { colspan: COLUMNS.length } }));
  const tbody = h('tbody', null, topSpacer, bottomSpacer);
  const table = h(
    'table',
    { class: 'calls', attrs: { id: 'calls-table', 'aria-label': 'Live calls' } },
    h('thead', null, headRow),
    tbody,
  );
  const scroller = h('div', { class: 'table-scroll', attrs: { tabindex: '-1' } }, table);
  const rows = new Map<string, RowEl>();
  let lastOrderAt = -Infinity;
  let ids: string[] = [];
  let drawnVersion = -1;
  let deferred = false;
  const shown = h('span', { class: 'shown num', attrs: { id: 'f-shown' } });
  const footer = h('div', { class: 'calls-foot' }, shown, h('span', null, 'Select a row to see its history. Filters and sort are kept in the address: share it.'));

  tbody.addEventListener('click', (e) => {
    const tr = (e.target as Element).closest('tr[data-call-id]');
    if (tr instanceof HTMLElement && tr.dataset['callId']) onSelect(tr.dataset['callId']);
  });
  let scrollQueued = false;
  scroller.addEventListener('scroll', () => {
    if (scrollQueued) return;
    scrollQueued = true;
    requestAnimationFrame(() => {
      scrollQueued = false;
      render(Date.now() + (store.state.session?.clockOffsetMs ?? 0), false, true);
    });
  });

  function makeRow(id: string): RowEl {
    const idButton = h('button', { class: 'link mono', attrs: { type: 'button', title: 'Show this call' } });
    const status = h('span', { class: 'pill' });
    const el: RowEl = {
      tr: h('tr', { dataset: { callId: id } }),
      rendered: null,
      idButton,
      type: h('td', { class: 'c-type' }),
      queue: h('td', { class: 'c-queue' }),
      agent: h('td', { class: 'c-agent' }),
      status,
      time: h('td', { class: 'c-time num' }),
      flags: h('td', { class: 'c-flags' }),
      last: h('td', { class: 'c-last' }),
    };
    el.tr.append(
      h('th', { class: 'c-id', attrs: { scope: 'row' } }, idButton),
      el.type,
      el.queue,
      el.agent,
      h('td', { class: 'c-status' }, status),
      el.time,
      el.flags,
      el.last,
    );
    return el;
  }

  function fill(el: RowEl, row: CallRow, now: number): void {
    const c = row.call;
    setText(el.idButton, c.id);
    setText(el.type, c.type === 'video' ? 'Video' : 'Voice');
    toggleClass(el.type, 'video', c.type === 'video');
    setText(el.queue, queueName(c.queue_id));
    setText(el.agent, c.agent_id ?? '–');
    toggleClass(el.agent, 'muted', !c.agent_id);
    const ringing = c.phase === 'ringing';
    setText(el.status, ringing ? 'Ringing' : STATUS_LABEL[c.status]);
    el.status.className = `pill s-${ringing ? 'ringing' : c.status}`;
    // the most pressing flag, and how many more (all of them in the tooltip and the call panel)
    const flags = [...c.flags].sort((a, b) => FLAG_ORDER.indexOf(a) - FLAG_ORDER.indexOf(b));
    replaceChildren(
      el.flags,
      ...flags.slice(0, 1).map((f) => h('span', { class: `flag f-${f}` }, flagLabel(f))),
      flags.length > 1 ? h('span', { class: 'flag more' }, `+${flags.length - 1}`) : null,
    );
    setAttrs(el.flags, { title: flags.length > 1 ? flags.map(flagLabel).join(', ') : null });
    el.last.replaceChildren(
      h('span', { class: row.last.system ? 'ev system' : 'ev' }, shortEventLabel(row.last.type)),
      h('span', { class: 'at num' }, timeOfDay(row.last.at)),
    );
    el.tr.dataset['status'] = c.status;
    fillTime(el, c, now);
  }

  function fillTime(el: RowEl, c: Call, now: number): void {
    const s = elapsedSeconds(c, now);
    const prefix = c.status === 'waiting' ? 'wait ' : c.status === 'ended' ? '' : 'talk ';
    setText(el.time, prefix + clock(s));
    const sla = c.queue_id ? store.state.queues.get(c.queue_id)?.thresholds.sla_max_wait : undefined;
    toggleClass(el.time, 'late', c.status === 'waiting' && sla !== undefined && s > sla);
  }

  function queueName(id: string | null): string {
    if (!id) return '–';
    return store.state.queues.get(id)?.name ?? humanize(id);
  }

  function render(now: number, tick: boolean, force: boolean): void {
    const state = store.state;
    if (store.state.sort.column === 'time' && tick) store.invalidateOrder();
    if (store.orderVersion !== drawnVersion) {
      const wait = lastOrderAt + MIN_ORDER_INTERVAL_MS - now;
      if (force || wait <= 0) {
        drawnVersion = store.orderVersion;
        ids = store.visibleCallIds(now);
        lastOrderAt = now;
        setText(shown, `${ids.length.toLocaleString()} of ${state.calls.size.toLocaleString()} calls shown`);
      } else if (!deferred) {
        deferred = true;
        setTimeout(() => {
          deferred = false;
          requestRender();
        }, wait);
      }
    }
    // headers
    for (const [key, th] of headButtons) {
      const sorted = state.sort.column === key;
      setAttrs(th, { 'aria-sort': sorted ? (state.sort.dir === 'asc' ? 'ascending' : 'descending') : null });
      setText(th.querySelector('.arrow')!, sorted ? (state.sort.dir === 'asc' ? '▲' : '▼') : '');
    }
    setAttrs(table, { 'aria-rowcount': ids.length + 1 });

    // the window
    const viewport = scroller.clientHeight || 600;
    const first = Math.max(0, Math.floor(scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(ids.length, Math.ceil((scroller.scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
    topSpacer.style.height = `${first * ROW_HEIGHT}px`;
    bottomSpacer.style.height = `${(ids.length - last) * ROW_HEIGHT}px`;

    const wanted = new Set<string>();
    const alerted = store.callsWithOpenAlerts();
    let cursor: ChildNode = topSpacer;
    for (let i = first; i < last; i++) {
      const id = ids[i]!;
      const row = state.calls.get(id);
      if (!row) continue;
      wanted.add(id);
      let el = rows.get(id);
      if (!el) {
        el = makeRow(id);
        rows.set(id, el);
      }
      if (el.rendered !== row) {
        fill(el, row, now);
        el.rendered = row;
      } else if (tick) {
        fillTime(el, row.call, now);
      }
      setAttrs(el.tr, { 'aria-rowindex': i + 2, 'aria-selected': id === state.selectedCallId ? 'true' : 'false' });
      toggleClass(el.tr, 'selected', id === state.selectedCallId);
      toggleClass(el.tr, 'alerted', alerted.has(id));
      // keep DOM order = visible order, moving only what is out of place
      if (cursor.nextSibling !== el.tr) tbody.insertBefore(el.tr, cursor.nextSibling);
      cursor = el.tr;
    }
    for (const [id, el] of rows) {
      if (!wanted.has(id)) {
        el.tr.remove();
        rows.delete(id);
      }
    }
    if (ids.length === 0) {
      const td = emptyRow.firstElementChild!;
      setText(
        td,
        state.calls.size === 0
          ? state.synced
            ? 'No calls yet. Post events, or start the traffic generator in the Simulator tab.'
            : 'Loading calls…'
          : 'No calls match these filters.',
      );
      if (emptyRow.parentNode !== tbody) tbody.insertBefore(emptyRow, bottomSpacer);
    } else if (emptyRow.parentNode) {
      emptyRow.remove();
    }
  }

  return {
    element: scroller,
    footer,
    render,
  };
}
