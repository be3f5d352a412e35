/**
 * The wire contract (v1) as the dashboard sees it: every JSON shape that crosses REST or
 * Socket.io, in one file. Mirrors call-server's `wire/Wire.java` (snake_case, ISO-8601 instants,
 * seconds as numbers). Nothing here does anything; it only names what arrives and what is sent.
 */

export type CallType = 'voice' | 'video';

/** The four statuses of the Call entity. */
export type CallStatus = 'waiting' | 'active' | 'on_hold' | 'ended';
export const CALL_STATUSES: readonly CallStatus[] = ['waiting', 'active', 'on_hold', 'ended'];

/** Finer than the status: a waiting call is queued or ringing an agent (a server extension). */
export type CallPhase = 'queued' | 'ringing' | 'active' | 'on_hold' | 'ended';

export type AlertKind = 'sla_breach' | 'long_wait' | 'ring_no_answer' | 'hold_exceeded' | 'short_call';

/** Call flags: the alert kinds double as flags, plus review/abandoned/survey marks. */
export type CallFlag = AlertKind | 'review' | 'abandoned' | 'survey_requested';

export interface Call {
  id: string;
  type: CallType;
  status: CallStatus;
  queue_id: string | null;
  agent_id: string | null;
  start_time: string | null;
  answer_time: string | null;
  end_time: string | null;
  /** seconds; null while the call still waits */
  wait_time: number | null;
  /** seconds; null until the call ends */
  duration: number | null;
  end_reason: string | null;
  flags: CallFlag[];
  // extensions for live clients
  phase?: CallPhase;
  hold_time?: number | null;
  /** when the current wait began (a transfer starts a new wait) */
  wait_start_time?: string | null;
  last_event_time?: string | null;
  /** the transition at `last_event_time`; null for a call last changed before servers had it, absent on older servers */
  last_event_type?: EventType | null;
}

export type EventType =
  | 'call_initiated'
  | 'call_routed'
  | 'call_retransfer'
  | 'call_answered'
  | 'call_hold'
  | 'call_resumed'
  | 'call_transferred'
  | 'call_ended'
  // written by the service itself (metadata.source = "system")
  | 'alert_raised'
  | 'alert_resolved'
  | 'review_flagged'
  | 'survey_requested'
  | 'agent_on_break'
  // a supervisor's action (metadata.source = "supervisor", with `by`: the key's fingerprint, and `role`)
  | 'alert_acked'
  // about no call (call_id null): comes as an `agent_event`, never in a call's history
  | 'agent_available'
  | 'agent_presence';

/** One entry of the ordered log: of a call's history, or (`agent_event`) about an agent. */
export interface CallEvent {
  id: string;
  call_id: string;
  type: EventType | string;
  timestamp: string;
  /**
   * the event's data, plus `source: "external" | "system" | "supervisor"` and for system entries
   * their reasons (a supervisor's entry names the key: `by`, e.g. `key:1a2b3c4d`, and `role`)
   */
  metadata: Record<string, unknown>;
  seq: number;
}

export interface Alert {
  /** the seq of the `alert_raised` entry (it stays so when the alert is acknowledged) */
  seq: number;
  id: string;
  kind: AlertKind;
  call_id: string;
  queue_id: string | null;
  agent_id: string | null;
  at: string;
  message: string;
  acked_at: string | null;
  /** who acknowledged it: the key's fingerprint (`key:1a2b3c4d`); null while open, absent on older servers */
  acked_by?: string | null;
  /** in `alert_acked` pushes only: the seq of the acknowledgement's own log entry */
  ack_seq?: number;
  /** the note given on acknowledging (absent on older servers) */
  note?: string | null;
  /**
   * when the alert resolved itself (its call moved on: an sla_breach answered or ended, a
   * hold_exceeded resumed, transferred or ended); a resolved alert is no longer open
   */
  resolved_at?: string | null;
  resolution?: 'answered' | 'resumed' | 'transferred' | 'ended' | null;
}

/**
 * Server → client `alert_resolved`: an alert resolved itself, right after the `call_event` of its
 * `alert_resolved` entry (same `seq`, the entry's).
 */
export interface AlertResolvedPush {
  seq: number;
  id: string;
  kind: AlertKind;
  call_id: string;
  queue_id: string | null;
  resolved_at: string;
  resolution: 'answered' | 'resumed' | 'transferred' | 'ended' | null;
}

/** `POST /api/alerts/ack`: one way of choosing (ids, or queue and/or kind, or all), an optional note. */
export type BulkAckRequest = (
  | { ids: string[] }
  | { queue_id?: string; kind?: AlertKind }
  | { all: true }
) & { note?: string };

export interface BulkAckReply {
  acknowledged: number;
  alerts: Alert[];
  /** open alerts of a queue/kind/all selection still left (it takes 1,000 at most) */
  remaining?: number;
}

/**
 * A queue's figures for **today** in the center's time zone (`day`); they start again from zero at
 * local midnight. `GET /api/center` and the `metrics` push's `center` have the same shape for the
 * whole center (`queue_id` then names no queue).
 */
export interface QueueMetrics {
  queue_id: string;
  waiting_now: number;
  /** seconds */
  longest_wait: number;
  offered: number;
  answered: number;
  answered_within_sla: number;
  /** answered_within_sla ÷ (answered + abandoned), 0..1; null when both are 0 */
  service_level: number | null;
  /** seconds, null before the first answer */
  average_speed_of_answer: number | null;
  /** ended while waiting after more than the queue's `short_abandon` */
  abandoned: number;
  /** ended sooner than `short_abandon`: not counted against the queue */
  abandoned_short: number;
  /** abandoned ÷ (answered + abandoned), 0..1; null when both are 0 */
  abandon_rate: number | null;
  /** the target the service level is held to, 0..1 (the center's: the lowest queue target) */
  sl_target: number;
  handled: number;
  /** seconds: talk + hold of the answered calls that ended in the queue ÷ their count */
  average_handle_time: number | null;
  /** the local date these figures are for, `2026-12-02` */
  day: string | null;
}

/** The center's figures (`GET /api/center`, the `metrics` push's `center`). */
export type CenterMetrics = Omit<QueueMetrics, 'queue_id'> & { queue_id?: string | null };

export interface Thresholds {
  sla_max_wait: number;
  ring_timeout: number;
  max_hold: number;
  short_call: number;
  wrap_up: number;
  short_abandon: number;
  sl_target: number;
}

export interface Queue {
  id: string;
  name: string;
  agents: string[];
  thresholds: Thresholds;
  metrics: QueueMetrics;
}

/**
 * What the agent is doing: while ringing or on a call it is that; otherwise it follows the
 * presence (`on_break` is presence `not_ready`).
 */
export type AgentState = 'available' | 'ringing' | 'on_call' | 'on_hold' | 'on_break' | 'wrap_up' | 'logged_out';

/** Whether the agent takes calls: signed out, ready, not ready (with a reason), or in wrap-up after a call. */
export type Presence = 'logged_out' | 'available' | 'not_ready' | 'wrap_up';
export const PRESENCES: readonly Presence[] = ['available', 'not_ready', 'wrap_up', 'logged_out'];

/** What a supervisor (or a desktop) may set: wrap-up only the service starts. */
export type SettablePresence = Exclude<Presence, 'wrap_up'>;

/** `POST /api/agents/{id}/presence` */
export interface PresenceRequest {
  state: SettablePresence;
  /** only with `not_ready`: 1–64 letters, digits, `_`, `-`, space */
  reason?: string;
}

export interface Agent {
  id: string;
  queues: string[];
  state: AgentState;
  state_since: string | null;
  current_call_id: string | null;
  offered: number;
  answered: number;
  missed: number;
  consecutive_misses: number;
  handled: number;
  /** seconds */
  talk_time: number;
  hold_time: number;
  average_handle_time: number | null;
  // presence; times cover today
  presence: Presence;
  /** why not ready (`lunch`, `missed_calls` after the auto-break); null in other presences */
  reason: string | null;
  /** when the current presence began */
  since: string | null;
  logged_in_since: string | null;
  /** seconds */
  wrap_up_time: number;
  logged_in_time: number;
  not_ready_time: number;
  not_ready_by_reason: Record<string, number>;
  /** (talk + hold + wrap-up) ÷ logged-in time, 0..1; null before any logged-in time */
  occupancy: number | null;
}

// ---- REST ---------------------------------------------------------------------------------------

export type Role = 'admin' | 'supervisor' | 'ingest';

/** `GET /api/info` (any valid key). */
/** A named supervisor, as `POST /api/session` and `GET /api/session` name them. */
export interface SessionUser {
  username: string;
  role: Role;
}

/** `POST /api/session`: the token goes as `Authorization: Bearer` on REST and `auth: {token}` on Socket.io. */
export interface SessionReply {
  token: string;
  expires_at: string;
  user: SessionUser;
}

export interface Info {
  service?: string;
  version?: string;
  role: Role;
  socket_port: number;
  server_time?: string;
  /**
   * Whether Socket.io accepts a page of this origin (the page's own, as the server saw it). The
   * browser hides why a handshake failed, so this is how the page can say so. Absent on older
   * servers.
   */
  socket_origin?: { origin: string | null; allowed: boolean };
}

/** `GET /api/calls` */
export interface CallPage {
  items: Call[];
  next_cursor: string | null;
}

/** `application/problem+json` (RFC 9457) */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: { field: string; message: string }[];
}

/** What a client posts to `POST /api/events`. */
export type OutgoingEvent =
  | Outgoing<'call_initiated', { type: CallType; queue_id: string }>
  | Outgoing<'call_routed', { agent_id: string; routing_time?: number }>
  | Outgoing<'call_retransfer', { reason?: string }>
  | Outgoing<'call_answered', { wait_time?: number }>
  | Outgoing<'call_hold', { hold_duration?: number }>
  | Outgoing<'call_resumed', Record<string, never>>
  | Outgoing<'call_transferred', { queue_id: string } | { agent_id: string }>
  | Outgoing<'call_ended', { end_reason: string; duration?: number }>;

interface Outgoing<T extends string, D> {
  event_id?: string;
  type: T;
  call_id: string;
  timestamp?: string;
  data: D;
}

/** Reply to one accepted event (201, or 200 with duplicate: true). */
export interface EventReply {
  event: CallEvent;
  call: Call;
  alerts: Alert[];
  duplicate: boolean;
}

/** Reply to an array of events: one result per item, in order. */
export interface BatchReply {
  results: ({ index: number; status: number } & (Partial<EventReply> & { problem?: Problem }))[];
}

// ---- the server's traffic generator --------------------------------------------------------------

/**
 * `GET /api/traffic` (supervisor, admin), and the reply to `POST` and `DELETE` (admin): the
 * generator that plays calls in the server (ids `gen-…`). While it runs, `stopped_at` and
 * `stop_reason` are null; after, they say when and why (its duration ran out, an admin stopped it,
 * the server shut down, the cluster node running it stopped leading) and the figures are those of
 * the last run.
 */
export interface Traffic {
  running: boolean;
  calls_per_minute: number | null;
  /** ISO-8601, `PT10M` */
  duration: string | null;
  started_at: string | null;
  ends_at: string | null;
  /** who started it: `key:1a2b3c4d` or a supervisor's username */
  started_by: string | null;
  stopped_at: string | null;
  stop_reason: 'duration' | 'stopped' | 'shutdown' | 'leadership_lost' | null;
  calls_started: number;
  events_posted: number;
  events_refused: number;
  /** calls it is playing now */
  live_calls: number;
}

/** `POST /api/traffic`: starts it (201), or changes the running one's rate and length from now (200). */
export interface TrafficRequest {
  /** 1–600 */
  calls_per_minute: number;
  /** ISO-8601, PT1S to PT8H */
  duration: string;
}

// ---- reports ------------------------------------------------------------------------------------

/** The interval lengths `GET /api/reports/intervals` accepts. */
export type ReportInterval = 'PT15M' | 'PT30M' | 'PT1H' | 'P1D';

/** One interval of one queue: each figure counted in the interval where it happened. */
export interface IntervalReport {
  start: string;
  end: string;
  queue_id: string;
  offered: number;
  answered: number;
  answered_within_sla: number;
  abandoned: number;
  abandoned_short: number;
  service_level: number | null;
  abandon_rate: number | null;
  /** seconds, null with nothing to average */
  asa: number | null;
  aht: number | null;
  /** seconds, 0 with none */
  longest_wait: number;
}

/** One agent over the report's span; times in seconds, clipped to [from, to). */
export interface AgentReport {
  agent_id: string;
  offered: number;
  answered: number;
  missed: number;
  talk_time: number;
  hold_time: number;
  wrap_up_time: number;
  logged_in_time: number;
  not_ready_time: number;
  not_ready_by_reason: Record<string, number>;
  occupancy: number | null;
}

export interface ReportPage<T> {
  items: T[];
}

// ---- Socket.io ----------------------------------------------------------------------------------

/** Client → server. */
export interface SubscribeRequest {
  queues?: string[];
  /** true: runs of call events come as one `call_events` array instead of one `call_event` each. */
  batch?: boolean;
}
export interface ResumeRequest {
  after_seq: number;
  batch?: boolean;
}

/** Server → client `call_event`: a stored history entry and the call's state after it. */
export interface CallEventPush {
  seq: number;
  event: CallEvent;
  call: Call;
}

/** Server → client `alert` (same seq as the `alert_raised` call_event it belongs to). */
export type AlertPush = Alert;

/**
 * Server → client `agent_event`: a log entry about an agent, not a call (`agent_available` when a
 * supervisor sets one available, `agent_presence` for every presence change, with metadata
 * `{source, agent_id, presence, reason, by?, role?, until?}`). Every subscriber gets it, whatever
 * its queues.
 */
export interface AgentEventPush {
  seq: number;
  event: Omit<CallEvent, 'call_id'> & { call_id: null };
}

/** Server → client `metrics`, at most once a second. */
export interface MetricsPush {
  queues: Queue[];
  agents: Agent[];
  /** the whole center's figures (absent on older servers) */
  center?: CenterMetrics;
}

export interface SubscribedReply {
  queues: string[];
  seq: number;
  batch?: boolean;
}

export interface ResumedReply {
  after_seq: number;
  to_seq: number;
  replayed: number;
}

/**
 * Server → client `alert_acked`: the alert with `acked_at`, `acked_by` and `ack_seq`, right after
 * the `call_event` of its `alert_acked` entry (same seq). The `{alert}` form is an older contract's.
 */
export interface AlertAckedPush {
  alert: Alert;
}

export interface ErrorPush {
  message: string;
}

/** Every server → client event name and its payload. */
export interface ServerToClient {
  call_event: (p: CallEventPush) => void;
  /** The batched form, for clients that subscribed with `batch: true`: call_event payloads in seq order. */
  call_events: (p: CallEventPush[]) => void;
  alert: (p: AlertPush) => void;
  metrics: (p: MetricsPush) => void;
  subscribed: (p: SubscribedReply) => void;
  resumed: (p: ResumedReply) => void;
  alert_acked: (p: Alert | AlertAckedPush) => void;
  alert_resolved: (p: AlertResolvedPush) => void;
  agent_event: (p: AgentEventPush) => void;
  error: (p: ErrorPush) => void;
}

export interface ClientToServer {
  subscribe: (p: SubscribeRequest) => void;
  resume: (p: ResumeRequest) => void;
}
