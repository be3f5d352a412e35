/** How values read on screen. Pure functions, no DOM. */
import type { Agent, AgentState, Alert, AlertKind, CallEvent, CallFlag, CallStatus, EventType, Presence } from '../wire';

/** 0:07, 4:05, 1:02:03 */
export function clock(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.floor(seconds));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return hh > 0 ? `${hh}:${pad(mm)}:${pad(ss)}` : `${mm}:${pad(ss)}`;
}

// formatters are made once: toLocaleTimeString with options builds a new one per call (~0.1 ms each,
// which thousands of rows redrawn per metrics push turned into whole frames)
const TIME_OF_DAY = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const HOUR_MINUTE = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });

/** 10:42:07 in the browser's time zone */
export function timeOfDay(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '–';
  return TIME_OF_DAY.format(d);
}

export function percent(fraction: number | null | undefined): string {
  return fraction === null || fraction === undefined ? '–' : `${Math.round(fraction * 100)}%`;
}

export function seconds(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return value < 60 ? `${value.toFixed(value < 10 ? 1 : 0)} s` : clock(value);
}

/** "4s ago", "3m ago" */
export function ago(iso: string | null | undefined, nowMs: number): string {
  if (!iso) return '';
  const s = Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  return `${Math.floor(s / 3600)}h ago`;
}

export const STATUS_LABEL: Record<CallStatus, string> = {
  waiting: 'Waiting',
  active: 'Active',
  on_hold: 'On hold',
  ended: 'Ended',
};

export const ALERT_LABEL: Record<AlertKind, string> = {
  sla_breach: 'SLA breach',
  long_wait: 'Long wait',
  ring_no_answer: 'Ring, no answer',
  hold_exceeded: 'Hold exceeded',
  short_call: 'Short call',
};

export const FLAG_LABEL: Record<CallFlag, string> = {
  ...ALERT_LABEL,
  review: 'Review',
  abandoned: 'Abandoned',
  survey_requested: 'Survey',
};

export const AGENT_STATE_LABEL: Record<AgentState, string> = {
  available: 'Available',
  ringing: 'Ringing',
  on_call: 'On call',
  on_hold: 'On hold',
  on_break: 'On break',
  wrap_up: 'Wrap-up',
  logged_out: 'Logged out',
};

export const PRESENCE_LABEL: Record<Presence, string> = {
  available: 'Available',
  not_ready: 'Not ready',
  wrap_up: 'Wrap-up',
  logged_out: 'Logged out',
};

/** "Not ready · lunch", "Not ready · missed calls", "Wrap-up", "Available". */
export function presenceText(a: Pick<Agent, 'presence' | 'reason'>): string {
  const label = PRESENCE_LABEL[a.presence] ?? a.presence;
  return a.presence === 'not_ready' && a.reason ? `${label} · ${a.reason.replace(/_/g, ' ')}` : label;
}

/** The reasons a supervisor picks from; any other can be typed. */
export const NOT_READY_REASONS = ['break', 'lunch', 'training', 'meeting', 'coaching'] as const;

/** Why a typed not-ready reason would be refused (the contract's rule), or null when it is fine. */
export function reasonProblem(reason: string): string | null {
  const r = reason.trim();
  if (r === '') return 'Type a reason.';
  if (r.length > 64) return 'A reason has at most 64 characters.';
  if (!/^[\p{L}\p{N}_\- ]+$/u.test(r)) return 'A reason has only letters, digits, spaces, "_" and "-".';
  return null;
}

/** "78% / target 80%" */
export function againstTarget(serviceLevel: number | null, target: number): string {
  return `${percent(serviceLevel)} / target ${percent(target)}`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Wed 2 Dec 2026" for a local date `2026-12-02` (the date as written, whatever the browser's zone). */
export function dayLabel(day: string | null | undefined, withYear = true): string {
  if (!day) return '–';
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  const text = `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
  return withYear ? `${text} ${d.getUTCFullYear()}` : text;
}

/** "10:00" in the browser's time zone (report intervals). */
export function hourMinute(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '–';
  return HOUR_MINUTE.format(d);
}

/** The browser's local date, `2026-12-02`: the default day before the server has said what today is. */
export function localDay(nowMs: number): string {
  const d = new Date(nowMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const EVENT_LABEL: Record<EventType, string> = {
  call_initiated: 'Initiated',
  call_routed: 'Routed',
  call_retransfer: 'Retransfer',
  call_answered: 'Answered',
  call_hold: 'Hold',
  call_resumed: 'Resumed',
  call_transferred: 'Transferred',
  call_ended: 'Ended',
  alert_raised: 'Alert raised',
  alert_resolved: 'Alert resolved',
  review_flagged: 'Flagged for review',
  survey_requested: 'Survey requested',
  agent_on_break: 'Agent on break',
  alert_acked: 'Alert acknowledged',
  agent_available: 'Agent available',
  agent_presence: 'Agent presence',
};

/** Shorter names where a table cell is narrow. */
const SHORT_EVENT_LABEL: Partial<Record<EventType, string>> = {
  alert_raised: 'Alert',
  review_flagged: 'Review',
  survey_requested: 'Survey',
  agent_on_break: 'Agent break',
  alert_acked: 'Alert ack',
  alert_resolved: 'Resolved',
};

export function shortEventLabel(type: string | null): string {
  return (type !== null && (SHORT_EVENT_LABEL as Record<string, string>)[type]) || eventLabel(type);
}

export function eventLabel(type: string | null): string {
  if (type === null) return '';
  return (EVENT_LABEL as Record<string, string>)[type] ?? type.replace(/_/g, ' ');
}

export function flagLabel(flag: string): string {
  return (FLAG_LABEL as Record<string, string>)[flag] ?? flag.replace(/_/g, ' ');
}

/** "medical_spanish" → "Medical Spanish" when no display name is known */
export function humanize(id: string | null | undefined): string {
  if (!id) return '–';
  return id.replace(/[_-]+/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());
}

/** "4 h", "4 h 12 min", "35 min", "50 s": a span of time in words, as coarse as reads well. */
export function span(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) {
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return m > 0 ? `${h} h ${m} min` : `${h} h`;
  }
  if (s >= 60) return `${Math.floor(s / 60)} min`;
  return `${s} s`;
}

/** Who may have written an entry: the platform, the service, or a supervisor. */
export type EntrySource = 'external' | 'system' | 'supervisor';

export function sourceOf(e: CallEvent): EntrySource {
  const src = e.metadata['source'];
  return src === 'system' || src === 'supervisor' ? src : 'external';
}

/**
 * A sentence for a history entry that reads better as one than as its metadata, and the metadata
 * keys the sentence already says; null for the rest. `prev` is the entry before it in the call's
 * history (an expiry says how long nothing happened: from that entry to this one).
 */
export function describeEntry(e: CallEvent, prev: CallEvent | undefined): { text: string; said: string[] } | null {
  const m = e.metadata;
  if (e.type === 'alert_acked') {
    const kind = typeof m['kind'] === 'string' ? m['kind'] : 'alert';
    const by = typeof m['by'] === 'string' ? m['by'] : 'a supervisor';
    return { text: `Alert ${kind} acknowledged by ${by}`, said: ['kind', 'by'] };
  }
  if (e.type === 'call_ended' && m['end_reason'] === 'expired' && sourceOf(e) === 'system') {
    const idle = prev ? (Date.parse(e.timestamp) - Date.parse(prev.timestamp)) / 1000 : NaN;
    const text = Number.isFinite(idle)
      ? `Ended by the system: no event for ${span(idle)}`
      : 'Ended by the system: no event for too long';
    return { text, said: ['end_reason'] };
  }
  return null;
}

/** "acknowledged by key:1a2b3c4d at 10:03:12" (or without the who, from an older server). */
export function ackedText(a: Pick<Alert, 'acked_at' | 'acked_by'>): string {
  if (a.acked_at === null) return 'open';
  return `acknowledged${a.acked_by ? ` by ${a.acked_by}` : ''} at ${timeOfDay(a.acked_at)}`;
}
