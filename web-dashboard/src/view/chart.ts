/**
 * The one chart: a queue's waiting calls (area, left scale) and service level (line, 0–100 %)
 * over the last minutes, as a small SVG. A pure function of the samples.
 */
import type { QueueSample } from '../store';
import { SERIES_WINDOW_MS } from '../store';
import { svg } from './dom';

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
