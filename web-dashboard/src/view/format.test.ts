import { describe, expect, it } from 'vitest';
import type { CallEvent } from '../wire';
import { labelEvery, niceMax } from './chart';
import { ackedText, againstTarget, dayLabel, describeEntry, localDay, presenceText, reasonProblem, sourceOf, span, timeOfDay } from './format';

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

describe('presence and the figures of the day', () => {
  it('reads a presence, with the reason when not ready', () => {
    expect(presenceText({ presence: 'not_ready', reason: 'lunch' })).toBe('Not ready · lunch');
    expect(presenceText({ presence: 'not_ready', reason: 'missed_calls' })).toBe('Not ready · missed calls');
    expect(presenceText({ presence: 'wrap_up', reason: null })).toBe('Wrap-up');
    expect(presenceText({ presence: 'logged_out', reason: null })).toBe('Logged out');
  });

  it("refuses a typed reason the server would refuse, with the rule", () => {
    expect(reasonProblem('doctor visit')).toBeNull();
    expect(reasonProblem('café')).toBeNull();
    expect(reasonProblem('  ')).toBe('Type a reason.');
    expect(reasonProblem('x'.repeat(65))).toMatch(/64/);
    expect(reasonProblem('lunch; drop table')).toMatch(/letters, digits/);
  });

  it('the service level beside its target, and the day as a date', () => {
    expect(againstTarget(0.78, 0.8)).toBe('78% / target 80%');
    expect(againstTarget(null, 0.8)).toBe('– / target 80%');
    expect(dayLabel('2026-12-02')).toBe('Wed 2 Dec 2026');
    expect(dayLabel('2026-12-02', false)).toBe('Wed 2 Dec');
    expect(dayLabel(null)).toBe('–');
    expect(localDay(Date.parse('2026-12-02T12:00:00Z'))).toMatch(/^2026-12-0[123]$/);
  });
});

describe('the report chart scales', () => {
  it('rounds the volume scale up to a round number', () => {
    expect(niceMax(0)).toBe(4);
    expect(niceMax(3)).toBe(4);
    expect(niceMax(7)).toBe(10);
    expect(niceMax(13)).toBe(20);
    expect(niceMax(21)).toBe(25);
    expect(niceMax(260)).toBe(500);
  });

  it('writes at most twelve time labels', () => {
    expect(labelEvery(1)).toBe(1);
    expect(labelEvery(24)).toBe(2);
    expect(labelEvery(96)).toBe(8);
  });
});
