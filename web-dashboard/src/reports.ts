/**
 * The Reports view's logic, without DOM: what the supervisor asked for (a day, an interval, maybe
 * a queue), where it lives in the address (`#reports?day=2026-12-02&interval=PT15M&queue=…`), the
 * queries it becomes for `GET /api/reports/*`, and the rows and totals the table and the chart
 * show.
 *
 * The server answers one item per interval and queue. For "all queues" the items of one interval
 * are added up with the contract's formulas (service level = answered within the SLA ÷ (answered +
 * abandoned), abandon rate = abandoned ÷ (answered + abandoned), ASA weighted by the answered
 * calls, longest wait the longest of them). AHT cannot be added up (an item does not say how many
 * calls it averages), so a sum of several queues' AHTs is left out rather than guessed.
 */
import type { IntervalReport, ReportInterval } from './wire';

export const REPORT_INTERVALS: readonly { value: ReportInterval; label: string }[] = [
  { value: 'PT15M', label: '15 min' },
  { value: 'PT30M', label: '30 min' },
  { value: 'PT1H', label: '1 h' },
  { value: 'P1D', label: 'Day' },
];
export const DEFAULT_INTERVAL: ReportInterval = 'PT1H';

export interface ReportQuery {
  /** the center's local date, `2026-12-02` */
  day: string;
  interval: ReportInterval;
  /** '' = every queue */
  queue: string;
}

/** Which of the two views is shown; the address says it (`#reports…` or anything else). */
export type ViewId = 'live' | 'reports';

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

function isInterval(text: string | null): text is ReportInterval {
  return REPORT_INTERVALS.some((i) => i.value === text);
}

/** The view and the report asked for in a location hash; anything missing or unknown takes its default. */
export function viewFromHash(hash: string, today: string): { view: ViewId; query: ReportQuery } {
  const h = hash.replace(/^#/, '');
  const [path, search = ''] = splitOnce(h, '?');
  const p = new URLSearchParams(search);
  const day = p.get('day') ?? '';
  const interval = p.get('interval');
  return {
    view: path === 'reports' ? 'reports' : 'live',
    query: {
      day: isDay(day) ? day : today,
      interval: isInterval(interval) ? interval : DEFAULT_INTERVAL,
      queue: (p.get('queue') ?? '').trim(),
    },
  };
}

/** The hash for a view (the live view's is empty, so its address stays as it was). */
export function hashFor(view: ViewId, query: ReportQuery): string {
  if (view === 'live') return '';
  const p = new URLSearchParams({ day: query.day, interval: query.interval });
  if (query.queue) p.set('queue', query.queue);
  return `#reports?${p.toString()}`;
}

function splitOnce(s: string, sep: string): [string, string?] {
  const i = s.indexOf(sep);
  return i < 0 ? [s] : [s.slice(0, i), s.slice(i + 1)];
}

/** `from=2026-12-02&interval=PT15M&queue=…` (and `format=csv` for the file). The day is the center's. */
export function intervalsQuery(q: ReportQuery, format?: 'csv', interval: ReportInterval = q.interval, queue: string = q.queue): string {
  const p = new URLSearchParams({ from: q.day, interval });
  if (queue) p.set('queue', queue);
  if (format) p.set('format', format);
  return p.toString();
}

export function agentsQuery(q: ReportQuery, format?: 'csv'): string {
  const p = new URLSearchParams({ from: q.day });
  if (format) p.set('format', format);
  return p.toString();
}

/** `switchboard-intervals-2026-12-02-15min-medical_spanish.csv` */
export function csvFileName(kind: 'intervals' | 'agents', q: ReportQuery): string {
  const parts = ['switchboard', kind, q.day];
  if (kind === 'intervals') {
    parts.push((REPORT_INTERVALS.find((i) => i.value === q.interval)?.label ?? q.interval).replace(/\s+/g, ''));
    if (q.queue) parts.push(q.queue.replace(/[^A-Za-z0-9_-]+/g, '_'));
  }
  return `${parts.join('-')}.csv`;
}

/** Lines of a CSV text that hold data (the header and a trailing newline left out). */
export function csvDataLines(text: string): number {
  return Math.max(0, text.split(/\r?\n/).filter((l) => l.trim() !== '').length - 1);
}

// ---- rows ---------------------------------------------------------------------------------------

/** One row of the table or one step of the chart: one interval (of one queue, or all added up). */
export interface ReportRow {
  start: string;
  end: string;
  /** null when it adds up several queues */
  queueId: string | null;
  offered: number;
  answered: number;
  answeredWithinSla: number;
  abandoned: number;
  abandonedShort: number;
  serviceLevel: number | null;
  abandonRate: number | null;
  /** seconds */
  asa: number | null;
  aht: number | null;
  longestWait: number;
}

/**
 * The rows for the table and the chart, in time order: the chosen queue's items as they are, or for
 * every queue each interval's items added up.
 */
export function intervalRows(items: IntervalReport[], queue: string): ReportRow[] {
  if (queue) return items.filter((i) => i.queue_id === queue).map(rowOf);
  const byStart = new Map<string, IntervalReport[]>();
  for (const i of items) {
    let list = byStart.get(i.start);
    if (!list) byStart.set(i.start, (list = []));
    list.push(i);
  }
  return [...byStart.values()].map((list) => addUp(list, null)).sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}

/** Each queue over the whole span, in the order the server sent them. */
export function queueRows(items: IntervalReport[]): ReportRow[] {
  const byQueue = new Map<string, IntervalReport[]>();
  for (const i of items) {
    let list = byQueue.get(i.queue_id);
    if (!list) byQueue.set(i.queue_id, (list = []));
    list.push(i);
  }
  return [...byQueue.entries()].map(([id, list]) => addUp(list, id));
}

/** The whole span (of the queue, or of every queue). */
export function totalRow(items: IntervalReport[], queue: string): ReportRow | null {
  const list = queue ? items.filter((i) => i.queue_id === queue) : items;
  return list.length === 0 ? null : addUp(list, queue || null);
}

/** True when nothing at all happened in the rows (the view then says so instead of drawing zeros). */
export function isEmptyReport(rows: ReportRow[]): boolean {
  return rows.every((r) => r.offered === 0 && r.answered === 0 && r.abandoned === 0 && r.abandonedShort === 0);
}

function rowOf(i: IntervalReport): ReportRow {
  return {
    start: i.start,
    end: i.end,
    queueId: i.queue_id,
    offered: i.offered,
    answered: i.answered,
    answeredWithinSla: i.answered_within_sla,
    abandoned: i.abandoned,
    abandonedShort: i.abandoned_short,
    serviceLevel: i.service_level,
    abandonRate: i.abandon_rate,
    asa: i.asa,
    aht: i.aht,
    longestWait: i.longest_wait,
  };
}

/** Adds items up with the contract's formulas (see the file's comment for AHT). */
export function addUp(list: IntervalReport[], queueId: string | null): ReportRow {
  if (list.length === 1) return { ...rowOf(list[0]!), queueId };
  let offered = 0;
  let answered = 0;
  let within = 0;
  let abandoned = 0;
  let short = 0;
  let waited = 0;
  let waitedCount = 0;
  let longest = 0;
  const ahts: number[] = [];
  let start = list[0]?.start ?? '';
  let end = list[0]?.end ?? '';
  for (const i of list) {
    offered += i.offered;
    answered += i.answered;
    within += i.answered_within_sla;
    abandoned += i.abandoned;
    short += i.abandoned_short;
    if (i.asa !== null && i.answered > 0) {
      waited += i.asa * i.answered;
      waitedCount += i.answered;
    }
    if (i.aht !== null) ahts.push(i.aht);
    longest = Math.max(longest, i.longest_wait);
    if (Date.parse(i.start) < Date.parse(start)) start = i.start;
    if (Date.parse(i.end) > Date.parse(end)) end = i.end;
  }
  const counted = answered + abandoned;
  return {
    start,
    end,
    queueId,
    offered,
    answered,
    answeredWithinSla: within,
    abandoned,
    abandonedShort: short,
    serviceLevel: counted === 0 ? null : within / counted,
    abandonRate: counted === 0 ? null : abandoned / counted,
    asa: waitedCount === 0 ? null : waited / waitedCount,
    aht: ahts.length === 1 ? ahts[0]! : null,
    longestWait: longest,
  };
}

/** The service level's standing against its target: met, close (within 10 points), or missed. */
export function slTone(serviceLevel: number | null, target: number): 'good' | 'warn' | 'bad' | '' {
  if (serviceLevel === null) return '';
  if (serviceLevel >= target) return 'good';
  return serviceLevel >= target - 0.1 ? 'warn' : 'bad';
}
