/**
 * The Reports view: a day, an interval and maybe a queue picked at the top; the day's figures, a
 * chart of volume and service level per interval, the intervals as a table, each queue and each
 * agent over the day, and the CSV downloads. Draws {@link ReportState}; asks for nothing itself
 * (main.ts fetches when the query changes).
 */
import type { ReportQuery, ReportRow } from '../reports';
import { intervalRows, isDay, isEmptyReport, queueRows, REPORT_INTERVALS, slTone, totalRow } from '../reports';
import type { Changes, ReportState, Store } from '../store';
import type { AgentReport, ReportInterval } from '../wire';
import { reportChart } from './chart';
import { h, replaceChildren, setText, toggleClass } from './dom';
import { againstTarget, clock, dayLabel, hourMinute, percent, seconds } from './format';

export interface ReportsHandlers {
  onQuery(query: ReportQuery): void;
  onRefresh(): void;
  onDownload(kind: 'intervals' | 'agents'): void;
}

export function reportsView(store: Store, handlers: ReportsHandlers): { element: HTMLElement; render(changes: Changes): void } {
  const day = h('input', { attrs: { id: 'r-day', type: 'date', required: true } });
  const intervalRow = h('div', { class: 'seg-row' });
  const intervals = h('fieldset', { class: 'segmented r-interval' }, h('legend', null, 'Interval'), intervalRow);
  const intervalInputs = new Map<ReportInterval, HTMLInputElement>();
  for (const i of REPORT_INTERVALS) {
    const input = h('input', { attrs: { type: 'radio', name: 'r-interval', id: `r-interval-${i.value}`, value: i.value } });
    input.addEventListener('change', () => changed());
    intervalInputs.set(i.value, input);
    intervalRow.append(h('label', { attrs: { for: `r-interval-${i.value}` } }, input, h('span', null, i.label)));
  }
  const queue = h('select', { attrs: { id: 'r-queue' } });
  const refresh = h('button', { class: 'btn', attrs: { type: 'button', id: 'r-refresh' }, on: { click: () => handlers.onRefresh() } }, 'Refresh');
  const csv = h('button', { class: 'btn primary', attrs: { type: 'button', id: 'r-csv' }, on: { click: () => handlers.onDownload('intervals') } }, 'Download CSV');
  const agentsCsv = h('button', { class: 'btn', attrs: { type: 'button', id: 'r-agents-csv' }, on: { click: () => handlers.onDownload('agents') } }, 'Agents CSV');
  const downloadStatus = h('p', { class: 'download-status small', attrs: { id: 'r-download-status', role: 'status' } });
  day.addEventListener('change', () => changed());
  queue.addEventListener('change', () => changed());

  function changed(): void {
    const interval = [...intervalInputs.entries()].find(([, i]) => i.checked)?.[0] ?? store.state.report.query.interval;
    if (!isDay(day.value)) return; // a half-typed date: wait for a whole one
    handlers.onQuery({ day: day.value, interval, queue: queue.value });
  }

  const status = h('div', { class: 'r-status', attrs: { id: 'r-status', role: 'status' } });
  const summary = h('dl', { class: 'r-summary', attrs: { id: 'r-summary' } });
  const chartTitle = h('h2', { attrs: { id: 'r-chart-title' } });
  const chartBox = h('div', { class: 'r-chart', attrs: { id: 'r-chart' } });
  const legend = h(
    'div',
    { class: 'legend r-legend', attrs: { 'aria-hidden': 'true' } },
    h('span', { class: 'key offered' }, 'offered'),
    h('span', { class: 'key answered' }, 'answered'),
    h('span', { class: 'key abandoned' }, 'abandoned'),
    h('span', { class: 'key level' }, 'service level'),
    h('span', { class: 'key target' }, 'target'),
  );
  const intervalTable = h('table', { class: 'grid r-table', attrs: { id: 'r-intervals', 'aria-label': 'Intervals' } });
  const queueTable = h('table', { class: 'grid r-table', attrs: { id: 'r-queues', 'aria-label': 'Queues over the day' } });
  const agentTable = h('table', { class: 'grid r-table', attrs: { id: 'r-agents', 'aria-label': 'Agents over the day' } });
  const agentsNote = h('p', { class: 'empty-note', attrs: { id: 'r-agents-note' } });
  const data = h(
    'div',
    { class: 'r-data' },
    h('section', { class: 'panel r-chart-panel', attrs: { 'aria-labelledby': 'r-chart-title' } }, h('div', { class: 'panel-head' }, chartTitle, legend), summary, chartBox),
    h(
      'div',
      { class: 'r-columns' },
      h('section', { class: 'panel r-intervals-panel', attrs: { 'aria-label': 'Intervals' } }, h('div', { class: 'panel-head' }, h('h2', null, 'Intervals')), h('div', { class: 'r-scroll' }, intervalTable)),
      h(
        'div',
        { class: 'r-side' },
        h('section', { class: 'panel', attrs: { 'aria-label': 'Queues' } }, h('div', { class: 'panel-head' }, h('h2', null, 'Queues, whole day')), h('div', { class: 'r-scroll' }, queueTable)),
        h('section', { class: 'panel', attrs: { 'aria-label': 'Agents' } }, h('div', { class: 'panel-head' }, h('h2', null, 'Agents, whole day')), agentsNote, h('div', { class: 'r-scroll' }, agentTable)),
      ),
    ),
  );
  const element = h(
    'main',
    { class: 'reports', attrs: { id: 'reports', 'aria-label': 'Reports' } },
    h(
      'section',
      { class: 'panel r-controls' },
      h('h1', null, 'Reports'),
      h(
        'form',
        { class: 'r-form', on: { submit: (e) => e.preventDefault() } },
        h('div', { class: 'field' }, h('label', { attrs: { for: 'r-day' } }, 'Day'), day),
        intervals,
        h('div', { class: 'field' }, h('label', { attrs: { for: 'r-queue' } }, 'Queue'), queue),
        h('div', { class: 'r-buttons' }, refresh, csv, agentsCsv),
      ),
      downloadStatus,
    ),
    status,
    data,
  );
  let queueKey = '';

  return {
    element,
    render(changes) {
      if (!changes.report && !changes.metrics && !changes.view && !changes.session) return;
      const s = store.state;
      const r = s.report;
      const q = r.query;
      // the controls show the query (it may come from the address)
      const ids = [...new Set([...s.queues.keys(), ...(q.queue ? [q.queue] : [])])];
      const key = ids.map((id) => `${id}=${s.queues.get(id)?.name ?? ''}`).join(',');
      if (key !== queueKey) {
        queueKey = key;
        replaceChildren(queue, h('option', { attrs: { value: '' } }, 'All queues'), ...ids.map((id) => h('option', { attrs: { value: id } }, s.queues.get(id)?.name ?? id)));
      }
      if (document.activeElement !== day && day.value !== q.day) day.value = q.day;
      if (queue.value !== q.queue) queue.value = q.queue;
      for (const [v, input] of intervalInputs) input.checked = v === q.interval;
      const dl = r.download;
      csv.disabled = agentsCsv.disabled = dl?.busy === true;
      setText(downloadStatus, dl ? dl.text : '');
      downloadStatus.hidden = !dl || dl.text === '';
      toggleClass(downloadStatus, 'error', dl?.tone === 'error');
      if (!changes.report && !changes.metrics && !changes.view) return;
      drawData(r);
    },
  };

  function drawData(r: ReportState): void {
    const s = store.state;
    const q = r.loaded ?? r.query;
    element.dataset['status'] = r.status;
    status.className = `r-status ${r.status}`;
    status.setAttribute('role', r.status === 'failed' ? 'alert' : 'status');
    if (r.status === 'failed') {
      replaceChildren(status, h('strong', null, 'The report could not be loaded. '), h('span', { attrs: { id: 'r-error' } }, r.error ?? ''));
      data.hidden = true;
      return;
    }
    if (r.status !== 'loaded') {
      replaceChildren(status, r.status === 'loading' ? `Loading the report for ${dayLabel(r.query.day)}…` : '');
      data.hidden = r.loaded === null;
      if (r.loaded === null) return;
    }
    const rows = intervalRows(r.items, q.queue);
    const queueName = q.queue ? s.queues.get(q.queue)?.name ?? q.queue : 'All queues';
    const target = targetOf(q.queue);
    const every = REPORT_INTERVALS.find((i) => i.value === q.interval)?.label ?? q.interval;
    if (r.status === 'loaded') {
      if (rows.length === 0 || isEmptyReport(rows)) {
        replaceChildren(status, h('span', { attrs: { id: 'r-empty' } }, `No calls for ${queueName === 'All queues' ? 'any queue' : queueName} on ${dayLabel(q.day)}.`));
        status.className = 'r-status empty';
      } else replaceChildren(status);
    }
    data.hidden = false;
    // the day's totals: from the daily items (exact AHT per queue), else added up from the intervals
    const daily = r.daily.length > 0 ? r.daily : r.items;
    const total = totalRow(daily, q.queue);
    const sl = total?.serviceLevel ?? null;
    replaceChildren(
      summary,
      sumKpi('Service level', againstTarget(sl, target), 'r-total-sl', slTone(sl, target)),
      sumKpi('Offered', String(total?.offered ?? 0), 'r-total-offered'),
      sumKpi('Answered', String(total?.answered ?? 0), 'r-total-answered'),
      sumKpi('Abandoned', total && total.abandonedShort > 0 ? `${total.abandoned} (+${total.abandonedShort} short)` : String(total?.abandoned ?? 0), 'r-total-abandoned'),
      sumKpi('Abandon rate', percent(total?.abandonRate ?? null), 'r-total-abandon-rate'),
      sumKpi('ASA', seconds(total?.asa ?? null), 'r-total-asa'),
      sumKpi('AHT', total?.aht === null || total === null ? '–' : clock(total.aht), 'r-total-aht'),
      sumKpi('Longest wait', clock(total?.longestWait ?? 0), 'r-total-longest'),
    );
    setText(chartTitle, `${queueName} · ${dayLabel(q.day)} · every ${every}`);
    const timeLabel = q.interval === 'P1D' ? () => dayLabel(q.day, false) : (row: ReportRow) => hourMinute(row.start);
    replaceChildren(chartBox, reportChart(rows, target, `${queueName}, ${dayLabel(q.day)}: calls offered, answered and abandoned, and the service level against its target of ${percent(target)}, per ${every}`, timeLabel));
    drawIntervals(rows, q, target, timeLabel);
    drawQueues(r.daily, q.queue);
    drawAgents(r.agents, r.agentsError);
  }

  function targetOf(queueId: string): number {
    const s = store.state;
    const targets = [...s.queues.values()].map((x) => x.thresholds.sl_target);
    if (queueId) return s.queues.get(queueId)?.thresholds.sl_target ?? s.center?.sl_target ?? Math.min(...targets, 0.8);
    // the center's target is the lowest queue target (the contract's rule)
    return s.center?.sl_target ?? (targets.length > 0 ? Math.min(...targets) : 0.8);
  }

  function drawIntervals(rows: ReportRow[], q: ReportQuery, target: number, timeLabel: (r: ReportRow) => string): void {
    // AHT cannot be added up over queues: the column is there for one queue only
    const withAht = q.queue !== '';
    const head = h(
      'tr',
      null,
      th('Interval'),
      th('Offered', 'num'),
      th('Answered', 'num'),
      th('Within SLA', 'num', 'Answered within the SLA'),
      th('Abandoned', 'num', 'Ended while waiting, after the short-abandon threshold'),
      th('Short', 'num', 'Abandoned sooner than the short-abandon threshold: not counted against the queue'),
      th('Service level', 'num'),
      th('Aband. rate', 'num'),
      th('ASA', 'num', 'Average speed of answer'),
      withAht ? th('AHT', 'num', 'Average handle time') : null,
      th('Longest wait', 'num'),
    );
    const body = h('tbody');
    for (const r of rows) {
      const quiet = r.offered === 0 && r.answered === 0 && r.abandoned === 0 && r.abandonedShort === 0;
      body.append(
        h(
          'tr',
          { class: quiet ? 'quiet' : '', dataset: { start: r.start } },
          h('th', { attrs: { scope: 'row' } }, q.interval === 'P1D' ? timeLabel(r) : `${hourMinute(r.start)}–${hourMinute(r.end)}`),
          td(r.offered, 'offered'),
          td(r.answered, 'answered'),
          td(r.answeredWithinSla, 'within'),
          td(r.abandoned, 'abandoned'),
          td(r.abandonedShort, 'short'),
          h('td', { class: `num sl-cell ${slTone(r.serviceLevel, target)}`, dataset: { col: 'sl' } }, percent(r.serviceLevel)),
          td(percent(r.abandonRate), 'abandon-rate'),
          td(seconds(r.asa), 'asa'),
          withAht ? td(r.aht === null ? '–' : clock(r.aht), 'aht') : null,
          td(r.longestWait > 0 ? clock(r.longestWait) : '–', 'longest'),
        ),
      );
    }
    replaceChildren(intervalTable, h('thead', null, head), body);
  }

  function drawQueues(daily: ReportState['daily'], selected: string): void {
    const s = store.state;
    const rows = queueRows(daily);
    const body = h('tbody');
    for (const r of rows) {
      const id = r.queueId ?? '';
      const target = s.queues.get(id)?.thresholds.sl_target ?? targetOf(id);
      body.append(
        h(
          'tr',
          { class: id === selected ? 'selected' : '', dataset: { queueId: id } },
          h('th', { attrs: { scope: 'row' } }, s.queues.get(id)?.name ?? id),
          td(r.offered, 'offered'),
          td(r.answered, 'answered'),
          td(r.abandoned, 'abandoned'),
          h('td', { class: `num sl-cell ${slTone(r.serviceLevel, target)}`, dataset: { col: 'sl' } }, againstTarget(r.serviceLevel, target)),
          td(percent(r.abandonRate), 'abandon-rate'),
          td(seconds(r.asa), 'asa'),
          td(r.aht === null ? '–' : clock(r.aht), 'aht'),
        ),
      );
    }
    if (rows.length === 0) body.append(h('tr', null, h('td', { class: 'empty-note', attrs: { colspan: 8 } }, 'No queues.')));
    replaceChildren(
      queueTable,
      h('thead', null, h('tr', null, th('Queue'), th('Offered', 'num'), th('Answered', 'num'), th('Abandoned', 'num'), th('Service level', 'num'), th('Aband. rate', 'num'), th('ASA', 'num'), th('AHT', 'num'))),
      body,
    );
  }

  function drawAgents(agents: AgentReport[], error: string | null): void {
    setText(agentsNote, error ? `The agents' report could not be loaded: ${error}` : agents.length === 0 ? 'No agent was logged in or offered a call that day.' : '');
    agentsNote.hidden = !error && agents.length > 0;
    toggleClass(agentsNote, 'error', error !== null);
    const body = h('tbody');
    for (const a of agents) {
      const reasons = Object.entries(a.not_ready_by_reason)
        .sort((x, y) => y[1] - x[1])
        .map(([k, t]) => `${k.replace(/_/g, ' ')} ${clock(t)}`)
        .join(', ');
      body.append(
        h(
          'tr',
          { dataset: { agentId: a.agent_id } },
          h('th', { attrs: { scope: 'row' } }, a.agent_id),
          td(a.offered, 'offered'),
          td(a.answered, 'answered'),
          h('td', { class: `num ${a.missed > 0 ? 'warn-text' : ''}`, dataset: { col: 'missed' } }, String(a.missed)),
          td(clock(a.talk_time), 'talk'),
          td(clock(a.logged_in_time), 'logged-in'),
          h('td', { class: 'num', dataset: { col: 'not-ready' }, attrs: { title: reasons || 'No not-ready time' } }, clock(a.not_ready_time), reasons ? h('div', { class: 'muted small' }, reasons) : null),
          td(percent(a.occupancy), 'occupancy'),
        ),
      );
    }
    replaceChildren(
      agentTable,
      h(
        'thead',
        null,
        h('tr', null, th('Agent'), th('Offered', 'num'), th('Ans.', 'num', 'Answered'), th('Missed', 'num'), th('Talk', 'num'), th('Logged in', 'num'), th('Not ready', 'num'), th('Occ.', 'num', 'Occupancy')),
      ),
      body,
    );
    agentTable.hidden = agents.length === 0;
  }
}

function th(label: string, cls = '', title?: string): HTMLTableCellElement {
  return h('th', { class: cls, attrs: { scope: 'col', title } }, label);
}

function td(value: string | number, col: string): HTMLTableCellElement {
  return h('td', { class: 'num', dataset: { col } }, String(value));
}

function sumKpi(label: string, value: string, id: string, tone = ''): HTMLElement {
  return h('div', { class: `rk ${tone}` }, h('dt', null, label), h('dd', { class: 'num', attrs: { id } }, value));
}
