import { describe, expect, it } from 'vitest';
import type { CallEvent } from '../wire';
import { ackedText, describeEntry, sourceOf, span, timeOfDay } from './format';

const entry = (seq: number, type: string, timestamp: string, metadata: Record<string, unknown>): CallEvent => ({
  id: `e${seq}`, call_id: 'c1', type, timestamp, metadata, seq,
});

describe('history entries that read as a sentence', () => {
  it('an acknowledgement names the alert kind and the key', () => {
    const e = entry(9, 'alert_acked', '2026-11-24T10:03:12Z', { source: 'supervisor', alert_id: 'a4', kind: 'sla_breach', by: 'key:1a2b3c4d', role: 'supervisor' });
    expect(describeEntry(e, undefined)).toEqual({ text: 'Alert sla_breach acknowledged by key:1a2b3c4d', said: ['kind', 'by'] });
    expect(sourceOf(e)).toBe('supervisor');
  });

  it('an expiry says how long the call had no event: from the entry before it', () => {
    const before = entry(3, 'call_answered', '2026-11-24T06:00:00Z', { source: 'external' });
    const expired = entry(4, 'call_ended', '2026-11-24T10:00:00Z', { source: 'system', end_reason: 'expired' });
    expect(describeEntry(expired, before)?.text).toBe('Ended by the system: no event for 4 h');
    expect(describeEntry({ ...expired, timestamp: '2026-11-24T10:12:30Z' }, before)?.text).toBe('Ended by the system: no event for 4 h 12 min');
    expect(describeEntry(expired, undefined)?.text).toBe('Ended by the system: no event for too long');
  });

  it('leaves every other entry, and a call ended by the platform, to the usual rendering', () => {
    expect(describeEntry(entry(4, 'call_ended', '2026-11-24T10:00:00Z', { source: 'external', end_reason: 'caller_hangup' }), undefined)).toBeNull();
    expect(describeEntry(entry(4, 'call_retransfer', '2026-11-24T10:00:00Z', { source: 'system' }), undefined)).toBeNull();
  });

  it('spans read coarse', () => {
    expect([span(50), span(60), span(35 * 60 + 20), span(4 * 3600)]).toEqual(['50 s', '1 min', '35 min', '4 h']);
  });
});

describe('who acknowledged an alert', () => {
  it('"acknowledged by key:… at 10:03:12", without the who from an older server', () => {
    const at = '2026-11-24T10:03:12Z';
    expect(ackedText({ acked_at: at, acked_by: 'key:1a2b3c4d' })).toBe(`acknowledged by key:1a2b3c4d at ${timeOfDay(at)}`);
    expect(ackedText({ acked_at: at })).toBe(`acknowledged at ${timeOfDay(at)}`);
    expect(ackedText({ acked_at: null, acked_by: null })).toBe('open');
  });
});
