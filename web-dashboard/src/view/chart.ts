/**
 * The two charts, as SVG, each a pure function of its data: a queue's waiting calls (area, left
 * scale) and service level (line, 0–100 %) over the last minutes, and the Reports view's volume
 * and service level per interval.
 */
import type { ReportRow } from '../reports';
import type { QueueSample } from '../store';
import { SERIES_WINDOW_MS } from '../store';
import { svg } from './dom';
import { hourMinute, percent } from './format';

export const CHART_W = 220;
export const CHART_H = 44;

/** The shortest time the chart spans, so a fresh session's few samples do not fill it edge to edge. */
const MIN_SPAN_MS = 60_000;

/** The span the chart shows: since the first sample, at least a minute, at most {@link SERIES_WINDOW_MS}. */
export function chartSpanMs(samples: QueueSample[], now: number): number {
  const first = samples[0]?.t ?? now;
  return Math.min(SERIES_WINDOW_MS, Math.max(MIN_SPAN_MS, now - first));
}

export function sparkline(samples: QueueSample[], now: number, label: string): SVGSVGElement {
  const span = chartSpanMs(samples, now);
  const from = now - span;
  const x = (t: number) => ((t - from) / span) * CHART_W;
  const maxWaiting = Math.max(4, ...samples.map((s) => s.waiting));
  const yWait = (n: number) => CHART_H - 2 - (n / maxWaiting) * (CHART_H - 6);
  const ySl = (f: number) => CHART_H - 2 - f * (CHART_H - 6);
  const root = svg('svg', {
    class: 'spark',
    viewBox: `0 0 ${CHART_W} ${CHART_H}`,
    width: CHART_W,
    height: CHART_H,
    role: 'img',
    preserveAspectRatio: 'none',
  });
  root.append(svg('title', {}, label));
  root.append(svg('line', { class: 'grid', x1: 0, x2: CHART_W, y1: ySl(1), y2: ySl(1) }));
  root.append(svg('line', { class: 'grid', x1: 0, x2: CHART_W, y1: CHART_H - 2, y2: CHART_H - 2 }));
  if (samples.length < 2) return root;
  const pts = samples.map((s) => `${x(s.t).toFixed(1)},${yWait(s.waiting).toFixed(1)}`);
  const firstX = x(samples[0]!.t).toFixed(1);
  const lastX = x(samples[samples.length - 1]!.t).toFixed(1);
  root.append(svg('polygon', { class: 'waiting', points: `${firstX},${CHART_H - 2} ${pts.join(' ')} ${lastX},${CHART_H - 2}` }));
  // the service level line has gaps where it is not defined yet
  let run: string[] = [];
  const flush = () => {
    if (run.length > 1) root.append(svg('polyline', { class: 'sl', points: run.join(' ') }));
    run = [];
  };
  for (const s of samples) {
    if (s.serviceLevel === null) flush();
    else run.push(`${x(s.t).toFixed(1)},${ySl(s.serviceLevel).toFixed(1)}`);
  }
  flush();
  return root;
}

// ---- the report's chart -------------------------------------------------------------------------

export const REPORT_W = 1000;
export const REPORT_H = 240;
const PAD = { left: 44, right: 48, top: 14, bottom: 28 };
/** Most time labels under the chart, so they never overlap. */
const MAX_X_LABELS = 12;

/** The top of the volume scale: a round number at or above `max` (at least 4, so a quiet day is not all bars). */
export function niceMax(max: number): number {
  if (max <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) {
    const top = step * magnitude;
    if (top >= max) return top;
  }
  return 10 * magnitude;
}

/** Every how many intervals a time label is written, so at most {@link MAX_X_LABELS} are. */
export function labelEvery(count: number): number {
  return Math.max(1, Math.ceil(count / MAX_X_LABELS));
}

/**
 * The report's chart: per interval, three bars (offered, answered, abandoned; left scale) and the
 * service level as a line (right scale, 0–100 %, with gaps where it is not defined) against the
 * target, dashed. Each interval has a title with its figures (the browser shows it on hover).
 */
export function reportChart(rows: ReportRow[], target: number, label: string, timeLabel: (row: ReportRow) => string = (r) => hourMinute(r.start)): SVGSVGElement {
  const plotW = REPORT_W - PAD.left - PAD.right;
  const plotH = REPORT_H - PAD.top - PAD.bottom;
  const bottom = PAD.top + plotH;
  const top = niceMax(Math.max(0, ...rows.map((r) => Math.max(r.offered, r.answered, r.abandoned))));
  const slot = rows.length === 0 ? plotW : plotW / rows.length;
  const yVol = (n: number) => bottom - (n / top) * plotH;
  const ySl = (f: number) => bottom - f * plotH;
  const root = svg('svg', { class: 'report-chart', viewBox: `0 0 ${REPORT_W} ${REPORT_H}`, role: 'img', 'aria-label': label, preserveAspectRatio: 'xMidYMid meet' });
  root.append(svg('title', {}, label));
  // grid and scales: volume on the left, service level on the right
  for (const f of [0, 0.5, 1]) {
    const y = bottom - f * plotH;
    root.append(svg('line', { class: 'grid', x1: PAD.left, x2: PAD.left + plotW, y1: y, y2: y }));
    root.append(svg('text', { class: 'axis', x: PAD.left - 6, y: y + 4, 'text-anchor': 'end' }, String(Math.round(top * f))));
    root.append(svg('text', { class: 'axis sl-axis', x: PAD.left + plotW + 6, y: y + 4, 'text-anchor': 'start' }, `${Math.round(f * 100)}%`));
  }
  const bar = Math.max(1, (slot * 0.78) / 3);
  const every = labelEvery(rows.length);
  rows.forEach((r, i) => {
    const x0 = PAD.left + i * slot + (slot - bar * 3) / 2;
    const g = svg('g', { class: 'interval', 'data-start': r.start });
    g.append(
      svg('title', {}, `${timeLabel(r)}: offered ${r.offered}, answered ${r.answered}, abandoned ${r.abandoned}, service level ${percent(r.serviceLevel)}`),
    );
    // a transparent band over the whole slot, so the title shows wherever the pointer is in it
    g.append(svg('rect', { class: 'hit', x: PAD.left + i * slot, y: PAD.top, width: slot, height: plotH }));
    ([['offered', r.offered], ['answered', r.answered], ['abandoned', r.abandoned]] as const).forEach(([kind, n], k) => {
      if (n > 0) g.append(svg('rect', { class: `bar ${kind}`, x: x0 + k * bar, y: yVol(n), width: Math.max(0.5, bar - 0.6), height: bottom - yVol(n) }));
    });
    root.append(g);
    if (i % every === 0) {
      root.append(svg('text', { class: 'axis', x: PAD.left + i * slot + (every === 1 ? slot / 2 : 0), y: REPORT_H - 8, 'text-anchor': every === 1 ? 'middle' : 'start' }, timeLabel(r)));
    }
  });
  // the target, then the service level over it
  root.append(svg('line', { class: 'target', x1: PAD.left, x2: PAD.left + plotW, y1: ySl(target), y2: ySl(target) }));
  root.append(svg('text', { class: 'axis target-label', x: PAD.left + plotW - 4, y: ySl(target) - 5, 'text-anchor': 'end' }, `target ${percent(target)}`));
  let run: string[] = [];
  const flush = () => {
    if (run.length > 1) root.append(svg('polyline', { class: 'sl', points: run.join(' ') }));
    run = [];
  };
  rows.forEach((r, i) => {
    if (r.serviceLevel === null) {
      flush();
      return;
    }
    const x = PAD.left + (i + 0.5) * slot;
    const y = ySl(r.serviceLevel);
    run.push(`${x.toFixed(1)},${y.toFixed(1)}`);
    root.append(svg('circle', { class: `sl-dot ${r.serviceLevel < target ? 'under' : ''}`, cx: x.toFixed(1), cy: y.toFixed(1), r: rows.length > 48 ? 2 : 3 }));
  });
  flush();
  return root;
}
