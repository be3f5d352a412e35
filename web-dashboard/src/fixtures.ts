/** Test data the unit tests share (not part of the page: nothing in the build imports it). */
import type { Agent, Call, Queue, QueueMetrics } from './wire';

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

/** An agent of medical_spanish put on break at `t0` after three missed calls, with `over` on top. */
export function agentFixture(id: string, t0: number, over: Partial<Agent> = {}): Agent {
  return {
    id, queues: ['medical_spanish'], state: 'on_break', state_since: iso(t0), current_call_id: null,
    offered: 3, answered: 0, missed: 3, consecutive_misses: 3, handled: 0, talk_time: 0, hold_time: 0, average_handle_time: null,
    presence: 'not_ready', reason: 'missed_calls', since: iso(t0), logged_in_since: iso(t0 - 3_600_000), wrap_up_time: 0,
    logged_in_time: 3600, not_ready_time: 0, not_ready_by_reason: {}, occupancy: 0,
    ...over,
  };
}

/** Medical Spanish (SLA 30 s, target 80%) with its agent `ana`, three calls waiting; `metrics` on top of its figures. */
export function queueFixture(over: Partial<Queue> = {}, metrics: Partial<QueueMetrics> = {}): Queue {
  const id = over.id ?? 'medical_spanish';
  return {
    id,
    name: 'Medical Spanish',
    agents: ['ana'],
    thresholds: { sla_max_wait: 30, ring_timeout: 15, max_hold: 60, short_call: 10, wrap_up: 0, short_abandon: 5, sl_target: 0.8 },
    ...over,
    metrics: {
      queue_id: id, waiting_now: 3, longest_wait: 12, offered: 5, answered: 2, answered_within_sla: 2, service_level: 1, average_speed_of_answer: 4, abandoned: 0,
      abandoned_short: 0, abandon_rate: 0, sl_target: 0.8, handled: 0, average_handle_time: null, day: '2026-11-24',
      ...metrics,
    },
  };
}
