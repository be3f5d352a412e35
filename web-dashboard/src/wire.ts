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
  | 'review_flagged'
  | 'survey_requested'
  | 'agent_on_break'
  // a supervisor's action (metadata.source = "supervisor", with `by`: the key's fingerprint, and `role`)
  | 'alert_acked'
  // about no call (call_id null): comes as an `agent_event`, never in a call's history
  | 'agent_available';

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
}

export interface QueueMetrics {
  queue_id: string;
  waiting_now: number;
  /** seconds */
  longest_wait: number;
  offered: number;
  answered: number;
  answered_within_sla: number;
  /** 0..1, null before the first answer */
  service_level: number | null;
  /** seconds, null before the first answer */
  average_speed_of_answer: number | null;
  abandoned: number;
}

export interface Thresholds {
  sla_max_wait: number;
  ring_timeout: number;
  max_hold: number;
  short_call: number;
}

export interface Queue {
  id: string;
  name: string;
  agents: string[];
  thresholds: Thresholds;
  metrics: QueueMetrics;
}

export type AgentState = 'available' | 'ringing' | 'on_call' | 'on_hold' | 'on_break';

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
}

// ---- REST ---------------------------------------------------------------------------------------

export type Role = 'admin' | 'supervisor' | 'ingest';

/** `GET /api/info` (any valid key). */
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
 * supervisor sets one available). Every subscriber gets it, whatever its queues.
 */
export interface AgentEventPush {
  seq: number;
  event: Omit<CallEvent, 'call_id'> & { call_id: null };
}

/** Server → client `metrics`, at most once a second. */
export interface MetricsPush {
  queues: Queue[];
  agents: Agent[];
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
  agent_event: (p: AgentEventPush) => void;
  error: (p: ErrorPush) => void;
}

export interface ClientToServer {
  subscribe: (p: SubscribeRequest) => void;
  resume: (p: ResumeRequest) => void;
}
