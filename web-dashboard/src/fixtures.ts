/** Test data the unit tests share (not part of the page: nothing in the build imports it). */
import type { Call } from './wire';

const iso = (ms: number) => new Date(ms).toISOString();

/** A waiting voice call of medical_spanish that started at `t0`, with `over` on top. */
export function callFixture(id: string, t0: number, over: Partial<Call> = {}): Call {
  return {
    id,
    type: 'voice',
    status: 'waiting',
    queue_id: 'medical_spanish',
    agent_id: null,
    start_time: iso(t0),
    answer_time: null,
    end_time: null,
    wait_time: null,
    duration: null,
    end_reason: null,
    flags: [],
    phase: 'queued',
    wait_start_time: iso(t0),
    last_event_time: iso(t0),
    ...over,
  };
}
