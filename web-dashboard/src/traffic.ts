/**
 * The server's traffic generator as the Simulator tab shows it. It runs in the server (so it
 * outlives the tab that started it, and stops by itself after its duration), which pushes nothing
 * about it: the page asks `GET /api/traffic` every {@link TRAFFIC_POLL_MS} while the generator
 * runs or while someone looks at the Simulator tab, and not at all otherwise.
 */
import type { Traffic, TrafficRequest } from './wire';
import { clock, hourMinute } from './view/format';

/** How often the status is asked for while it matters. */
export const TRAFFIC_POLL_MS = 2_000;

/** The server's limits (`POST /api/traffic`). */
export const MAX_CALLS_PER_MINUTE = 600;

/** The lengths offered, as ISO-8601 durations (the server takes PT1S to PT8H). */
export const TRAFFIC_DURATIONS: readonly { value: string; label: string }[] = [
  { value: 'PT5M', label: '5 min' },
  { value: 'PT10M', label: '10 min' },
  { value: 'PT30M', label: '30 min' },
  { value: 'PT1H', label: '1 hour' },
  { value: 'PT2H', label: '2 hours' },
  { value: 'PT8H', label: '8 hours' },
];

/** The server's default length of a run. */
export const DEFAULT_TRAFFIC_DURATION = 'PT10M';

/** What the poller needs from the page (injected: tests drive it with fakes and a virtual clock). */
export interface TrafficPorts {
  fetch(): Promise<Traffic>;
  /** someone looks at the generator (the Simulator tab is shown) */
  watching(): boolean;
  onStatus(traffic: Traffic): void;
  onError(message: string): void;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * Asks for the status now and then every {@link TRAFFIC_POLL_MS} while the generator runs or
 * someone watches; goes quiet otherwise, until {@link poke}. Never two requests at once: a poke
 * during one asks again right after it.
 */
export class TrafficPoller {
  private timer: unknown = null;
  private inFlight = false;
  private again = false;
  private running = false;
  private stopped = true;

  constructor(private readonly ports: TrafficPorts) {}

  /** Ask now (signed in, the tab was shown, the generator was just started or stopped). */
  poke(): void {
    this.stopped = false;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.cancelTimer();
    void this.poll();
  }

  /** A status that came another way (the reply to a start or a stop): the next ask follows from it. */
  know(traffic: Traffic): void {
    this.running = traffic.running;
    if (!this.stopped && !this.inFlight && this.timer === null) this.scheduleNext();
  }

  /** Signed out: no more asking. */
  stop(): void {
    this.stopped = true;
    this.again = false;
    this.cancelTimer();
  }

  private async poll(): Promise<void> {
    this.inFlight = true;
    try {
      const traffic = await this.ports.fetch();
      if (this.stopped) return;
      this.running = traffic.running;
      this.ports.onStatus(traffic);
    } catch (e) {
      if (this.stopped) return;
      this.ports.onError(e instanceof Error ? e.message : String(e));
    } finally {
      this.inFlight = false;
    }
    if (this.stopped) return;
    if (this.again) {
      this.again = false;
      void this.poll();
      return;
    }
    this.scheduleNext();
  }

  private scheduleNext(): void {
    if (!this.running && !this.ports.watching()) return;
    this.timer = this.ports.setTimeout(() => {
      this.timer = null;
      void this.poll();
    }, TRAFFIC_POLL_MS);
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.ports.clearTimeout(this.timer);
    this.timer = null;
  }
}

/** The request for a rate typed and a length chosen, or why it cannot be sent. */
export function trafficRequest(rateText: string, duration: string): { request: TrafficRequest } | { error: string } {
  const rate = Number(rateText.trim());
  if (!Number.isInteger(rate) || rate < 1 || rate > MAX_CALLS_PER_MINUTE) {
    return { error: `Calls per minute: a whole number from 1 to ${MAX_CALLS_PER_MINUTE}.` };
  }
  if (!TRAFFIC_DURATIONS.some((d) => d.value === duration)) return { error: 'Choose how long it runs.' };
  return { request: { calls_per_minute: rate, duration } };
}

/** `PT10M` → "10 min", `PT1H30M` → "1 h 30 min", `PT45S` → "45 s"; the text itself when it is no simple duration. */
export function durationLabel(iso: string | null): string {
  if (!iso) return '–';
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(iso);
  if (!m || (!m[1] && !m[2] && !m[3])) return iso;
  return [m[1] && `${m[1]} h`, m[2] && `${m[2]} min`, m[3] && `${Number(m[3])} s`].filter(Boolean).join(' ');
}

const STOP_REASON: Record<NonNullable<Traffic['stop_reason']>, string> = {
  duration: 'its time was up',
  stopped: 'it was stopped',
  shutdown: 'the server shut down',
  leadership_lost: 'the node running it stopped leading the cluster',
};

/** The status line: what runs, since when, by whom, until when (counting down by the server's clock). */
export function trafficStatusText(t: Traffic | null, nowMs: number): string {
  if (t === null) return 'Asking the server…';
  if (t.running) {
    const ends = t.ends_at ? Date.parse(t.ends_at) : NaN;
    const left = Number.isNaN(ends) ? '' : ` (${clock(Math.max(0, (ends - nowMs) / 1000))} left)`;
    return `Running at ${t.calls_per_minute ?? '–'} calls/min since ${hourMinute(t.started_at)}, started by ${t.started_by ?? 'someone'}; stops by itself at ${hourMinute(t.ends_at)}${left}.`;
  }
  if (t.started_at === null) return 'Not running. No traffic has been generated since the server started.';
  const why = t.stop_reason ? `: ${STOP_REASON[t.stop_reason]}` : '';
  return `Not running. The last run (${t.calls_per_minute ?? '–'} calls/min for ${durationLabel(t.duration)}, by ${t.started_by ?? 'someone'}) stopped at ${hourMinute(t.stopped_at)}${why}.`;
}

/** What it has done (this run, or the last one). */
export function trafficCountsText(t: Traffic | null): string {
  if (t === null || t.started_at === null) return '';
  const n = (x: number) => x.toLocaleString();
  return `${n(t.calls_started)} calls started, ${n(t.events_posted)} events posted, ${n(t.events_refused)} refused; ${n(t.live_calls)} of its calls live now.`;
}
