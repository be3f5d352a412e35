/**
 * The call simulator: which events make sense for a call in its current state. Everything goes
 * through the public REST API (`POST /api/events`), like any integration; the resulting state comes
 * back over Socket.io like everyone else's. (Traffic at a rate is the server's own generator: see
 * traffic.ts.)
 */
import type { Call, CallType, OutgoingEvent } from './wire';

/** What a person can do to a call. */
export type CallAction = 'route' | 'answer' | 'no_answer' | 'hold' | 'resume' | 'transfer' | 'end';

export const END_REASONS = ['completed', 'caller_hangup', 'agent_hangup', 'dropped'] as const;

/** The actions the state machine accepts for the call's current phase (call-core's transition table). */
export function actionsFor(call: Call): CallAction[] {
  switch (phaseOf(call)) {
    case 'queued':
      return ['route', 'end'];
    case 'ringing':
      return ['answer', 'no_answer', 'end'];
    case 'active':
      return ['hold', 'transfer', 'end'];
    case 'on_hold':
      return ['resume', 'transfer', 'end'];
    case 'ended':
      return [];
  }
}

export function phaseOf(call: Call): 'queued' | 'ringing' | 'active' | 'on_hold' | 'ended' {
  if (call.phase) return call.phase;
  if (call.status === 'waiting') return call.agent_id ? 'ringing' : 'queued';
  return call.status;
}

/** A random id: crypto.randomUUID needs a secure context, getRandomValues does not. */
export function randomId(prefix: string, bytes = 6): string {
  const b = new Uint8Array(bytes);
  crypto.getRandomValues(b);
  return prefix + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export function newCallEvent(callId: string, queueId: string, type: CallType): OutgoingEvent {
  return { event_id: randomId('evt-'), type: 'call_initiated', call_id: callId, data: { type, queue_id: queueId } };
}

export interface ActionParams {
  agentId?: string;
  /** a transfer target: `queue:<id>` or `agent:<id>` */
  target?: string;
  endReason?: string;
}

/** The event for `action` on `call`; throws when a required parameter is missing. */
export function eventFor(call: Call, action: CallAction, params: ActionParams = {}): OutgoingEvent {
  const base = { event_id: randomId('evt-'), call_id: call.id };
  switch (action) {
    case 'route':
      if (!params.agentId) throw new Error('choose an agent to route to');
      return { ...base, type: 'call_routed', data: { agent_id: params.agentId } };
    case 'answer':
      return { ...base, type: 'call_answered', data: {} };
    case 'no_answer':
      return { ...base, type: 'call_retransfer', data: { reason: 'no_answer' } };
    case 'hold':
      return { ...base, type: 'call_hold', data: {} };
    case 'resume':
      return { ...base, type: 'call_resumed', data: {} };
    case 'transfer': {
      const [kind, id] = splitTarget(params.target);
      if (!id) throw new Error('choose where to transfer the call');
      return { ...base, type: 'call_transferred', data: kind === 'agent' ? { agent_id: id } : { queue_id: id } };
    }
    case 'end':
      return { ...base, type: 'call_ended', data: { end_reason: params.endReason ?? 'completed' } };
  }
}

function splitTarget(target: string | undefined): ['queue' | 'agent', string] {
  if (!target) return ['queue', ''];
  const i = target.indexOf(':');
  const kind = target.slice(0, i) === 'agent' ? 'agent' : 'queue';
  return [kind, target.slice(i + 1)];
}
