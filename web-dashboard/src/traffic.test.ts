import { describe, expect, it } from 'vitest';
import { durationLabel, TRAFFIC_POLL_MS, trafficCountsText, TrafficPoller, trafficRequest, trafficStatusText } from './traffic';
import type { Traffic } from './wire';

const T0 = Date.parse('2026-12-03T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

const IDLE: Traffic = {
  running: false, calls_per_minute: null, duration: null, started_at: null, ends_at: null, started_by: null,
  stopped_at: null, stop_reason: null, calls_started: 0, events_posted: 0, events_refused: 0, live_calls: 0,
};

function running(over: Partial<Traffic> = {}): Traffic {
  return {
    ...IDLE, running: true, calls_per_minute: 30, duration: 'PT10M', started_at: iso(T0), ends_at: iso(T0 + 600_000), started_by: 'maria.lopez',
    calls_started: 12, events_posted: 40, events_refused: 1, live_calls: 5, ...over,
  };
}

/** A fake server answering from a script, and a virtual clock: time moves only when the test says. */
class Harness {
  now = 0;
  asked = 0;
  watching = false;
  shown: Traffic[] = [];
  errors: string[] = [];
  answers: (Traffic | Error)[] = [];
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private ids = 0;
  private pending: (() => void)[] = [];
  /** true: answers wait until release() */
  hold = false;

  readonly poller = new TrafficPoller({
    fetch: () => {
      this.asked++;
      const answer = this.answers.length > 1 ? this.answers.shift()! : this.answers[0] ?? IDLE;
      return new Promise<Traffic>((resolve, reject) => {
        const settle = () => (answer instanceof Error ? reject(answer) : resolve(answer));
        if (this.hold) this.pending.push(settle);
        else settle();
      });
    },
    watching: () => this.watching,
    onStatus: (t) => this.shown.push(t),
    onError: (m) => this.errors.push(m),
    setTimeout: (fn, ms) => {
      const id = ++this.ids;
      this.timers.push({ at: this.now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      this.timers = this.timers.filter((t) => t.id !== id);
    },
  });

  get scheduled(): number {
    return this.timers.length;
  }

  async release(): Promise<void> {
    const p = this.pending;
    this.pending = [];
    for (const settle of p) settle();
    await flush();
  }

  /** Moves the clock, firing due timers in order, and lets the promises they start settle. */
  async advance(ms: number): Promise<void> {
    const until = this.now + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > until) break;
      this.timers.shift();
      this.now = next.at;
      next.fn();
      await flush();
    }
    this.now = until;
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('the traffic poller', () => {
  it('asks every 2 s while the generator runs, and stops asking once it has stopped and nobody watches', async () => {
    const h = new Harness();
    h.answers = [running(), running({ calls_started: 13 }), { ...running(), running: false, stop_reason: 'duration', stopped_at: iso(T0 + 600_000) }];
    h.poller.poke();
    await flush();
    expect(h.asked).toBe(1);
    await h.advance(TRAFFIC_POLL_MS - 1);
    expect(h.asked).toBe(1);
    await h.advance(1);
    expect(h.asked).toBe(2);
    await h.advance(TRAFFIC_POLL_MS);
    expect(h.asked).toBe(3);
    expect(h.shown.map((t) => t.running)).toEqual([true, true, false]);
    await h.advance(60_000);
    expect(h.asked).toBe(3);
    expect(h.scheduled).toBe(0);
  });

  it('keeps asking while the Simulator tab is shown, running or not', async () => {
    const h = new Harness();
    h.watching = true;
    h.poller.poke();
    await flush();
    await h.advance(3 * TRAFFIC_POLL_MS);
    expect(h.asked).toBe(4);
    h.watching = false;
    await h.advance(10 * TRAFFIC_POLL_MS);
    expect(h.asked).toBe(5);
  });

  it('asks once when nothing runs and nobody watches (a page loaded after the start learns it at once)', async () => {
    const h = new Harness();
    h.poller.poke();
    await flush();
    await h.advance(60_000);
    expect(h.asked).toBe(1);
    expect(h.shown).toEqual([IDLE]);
  });

  it('goes on from the reply to a start, without asking twice at once', async () => {
    const h = new Harness();
    h.poller.poke();
    await flush();
    expect(h.scheduled).toBe(0);
    h.answers = [running()];
    h.poller.know(running());
    expect(h.scheduled).toBe(1);
    h.poller.know(running());
    expect(h.scheduled).toBe(1);
    await h.advance(TRAFFIC_POLL_MS);
    expect(h.asked).toBe(2);
  });

  it('a poke during a request asks again right after it, not in parallel', async () => {
    const h = new Harness();
    h.hold = true;
    h.watching = true;
    h.poller.poke();
    h.poller.poke();
    h.poller.poke();
    expect(h.asked).toBe(1);
    await h.release();
    expect(h.asked).toBe(2);
    await h.release();
    expect(h.asked).toBe(2);
    expect(h.scheduled).toBe(1);
  });

  it('reports a failed ask and tries again while it matters', async () => {
    const h = new Harness();
    h.watching = true;
    h.answers = [new Error('Cannot reach the Switchboard server. Is it running?'), running()];
    h.poller.poke();
    await flush();
    expect(h.errors).toEqual(['Cannot reach the Switchboard server. Is it running?']);
    await h.advance(TRAFFIC_POLL_MS);
    expect(h.shown).toEqual([running()]);
  });

  it('stops for good on sign-out, even with an answer on its way', async () => {
    const h = new Harness();
    h.hold = true;
    h.answers = [running()];
    h.poller.poke();
    h.poller.stop();
    await h.release();
    expect(h.shown).toEqual([]);
    expect(h.scheduled).toBe(0);
    await h.advance(60_000);
    expect(h.asked).toBe(1);
  });
});

describe('the traffic controls', () => {
  it('send a whole rate from 1 to 600 and one of the lengths offered', () => {
    expect(trafficRequest(' 30 ', 'PT1H')).toEqual({ request: { calls_per_minute: 30, duration: 'PT1H' } });
    expect(trafficRequest('600', 'PT8H')).toEqual({ request: { calls_per_minute: 600, duration: 'PT8H' } });
    for (const bad of ['0', '601', '2.5', '', 'ten']) expect(trafficRequest(bad, 'PT10M')).toEqual({ error: 'Calls per minute: a whole number from 1 to 600.' });
    expect(trafficRequest('10', 'PT9H')).toEqual({ error: 'Choose how long it runs.' });
  });

  it('name durations as people say them', () => {
    expect(['PT10M', 'PT1H', 'PT1H30M', 'PT45S', 'PT8H', null, 'P1D'].map(durationLabel)).toEqual(['10 min', '1 h', '1 h 30 min', '45 s', '8 h', '–', 'P1D']);
  });

  it('say what runs, who started it and how long it has left by the server clock', () => {
    const text = trafficStatusText(running(), T0 + 151_000);
    expect(text).toMatch(/^Running at 30 calls\/min since \d\d:\d\d, started by maria\.lopez; stops by itself at \d\d:\d\d \(7:29 left\)\.$/);
    expect(trafficCountsText(running())).toBe('12 calls started, 40 events posted, 1 refused; 5 of its calls live now.');
  });

  it('say why the last run stopped, and nothing about counts before any run', () => {
    const stopped = { ...running(), running: false, stopped_at: iso(T0 + 60_000), stop_reason: 'stopped' as const };
    expect(trafficStatusText(stopped, T0)).toMatch(/^Not running\. The last run \(30 calls\/min for 10 min, by maria\.lopez\) stopped at \d\d:\d\d: it was stopped\.$/);
    expect(trafficStatusText(IDLE, T0)).toBe('Not running. No traffic has been generated since the server started.');
    expect(trafficStatusText(null, T0)).toBe('Asking the server…');
    expect(trafficCountsText(IDLE)).toBe('');
  });
});
