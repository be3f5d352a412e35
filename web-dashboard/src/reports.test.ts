import { describe, expect, it } from 'vitest';
import {
  addUp,
  agentsQuery,
  csvDataLines,
  csvFileName,
  hashFor,
  intervalRows,
  intervalsQuery,
  isDay,
  isEmptyReport,
  queueRows,
  slTone,
  totalRow,
  viewFromHash,
} from './reports';
import type { IntervalReport } from './wire';

function item(start: string, queue: string, over: Partial<IntervalReport> = {}): IntervalReport {
  const s = Date.parse(start);
  return {
    start, end: new Date(s + 15 * 60_000).toISOString().replace('.000Z', 'Z'), queue_id: queue,
    offered: 0, answered: 0, answered_within_sla: 0, abandoned: 0, abandoned_short: 0,
    service_level: null, abandon_rate: null, asa: null, aht: null, longest_wait: 0,
    ...over,
  };
}

const Q = { day: '2026-12-02', interval: 'PT15M' as const, queue: '' };

describe('the address of the Reports view', () => {
  it('reads the day, interval and queue; anything unknown takes its default', () => {
    expect(viewFromHash('#reports?day=2026-12-01&interval=PT15M&queue=medical_spanish', '2026-12-02')).toEqual({
      view: 'reports', query: { day: '2026-12-01', interval: 'PT15M', queue: 'medical_spanish' },
    });
    expect(viewFromHash('#reports?day=2026-02-30&interval=PT5M', '2026-12-02')).toEqual({ view: 'reports', query: { day: '2026-12-02', interval: 'PT1H', queue: '' } });
    expect(viewFromHash('', '2026-12-02').view).toBe('live');
    expect(viewFromHash('#something', '2026-12-02').view).toBe('live');
  });

  it('writes what it reads; the live view leaves the address alone', () => {
    const q = { day: '2026-12-01', interval: 'P1D' as const, queue: 'legal_french' };
    expect(hashFor('reports', q)).toBe('#reports?day=2026-12-01&interval=P1D&queue=legal_french');
    expect(viewFromHash(hashFor('reports', q), '2026-12-02').query).toEqual(q);
    expect(hashFor('live', q)).toBe('');
  });

  it('a day is a real calendar date', () => {
    expect(isDay('2026-12-02')).toBe(true);
    expect(isDay('2024-02-29')).toBe(true);
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2026-12-2')).toBe(false);
    expect(isDay('')).toBe(false);
  });
});

describe('the queries', () => {
  it('intervals: from the day, the interval, the queue only when one is picked; CSV with format=csv', () => {
    expect(intervalsQuery(Q)).toBe('from=2026-12-02&interval=PT15M');
    expect(intervalsQuery({ ...Q, queue: 'medical_spanish' }, 'csv')).toBe('from=2026-12-02&interval=PT15M&queue=medical_spanish&format=csv');
    expect(intervalsQuery({ ...Q, queue: 'medical_spanish' }, undefined, 'P1D', '')).toBe('from=2026-12-02&interval=P1D');
    expect(agentsQuery(Q, 'csv')).toBe('from=2026-12-02&format=csv');
  });

  it('the file is named after what it holds', () => {
    expect(csvFileName('intervals', Q)).toBe('switchboard-intervals-2026-12-02-15min.csv');
    expect(csvFileName('intervals', { ...Q, interval: 'P1D', queue: 'medical_spanish' })).toBe('switchboard-intervals-2026-12-02-Day-medical_spanish.csv');
    expect(csvFileName('agents', { ...Q, queue: 'x' })).toBe('switchboard-agents-2026-12-02.csv');
  });

  it('counts the data lines of a CSV, not its header', () => {
    expect(csvDataLines('start,end\na,b\nc,d\n')).toBe(2);
    expect(csvDataLines('start,end\r\n')).toBe(0);
    expect(csvDataLines('')).toBe(0);
  });
});

describe('rows and totals', () => {
  const t8 = '2026-12-02T08:00:00Z';
  const t815 = '2026-12-02T08:15:00Z';
  const items = [
    item(t8, 'medical_spanish', { offered: 10, answered: 8, answered_within_sla: 6, abandoned: 2, abandoned_short: 1, service_level: 0.6, abandon_rate: 0.2, asa: 20, aht: 300, longest_wait: 50 }),
    item(t8, 'legal_french', { offered: 2, answered: 2, answered_within_sla: 2, service_level: 1, abandon_rate: 0, asa: 5, aht: 120, longest_wait: 8 }),
    item(t815, 'medical_spanish'),
    item(t815, 'legal_french', { offered: 1, answered: 1, answered_within_sla: 1, service_level: 1, abandon_rate: 0, asa: 2, longest_wait: 2 }),
  ];

  it('one queue: its items as they are, in time order', () => {
    const rows = intervalRows(items, 'legal_french');
    expect(rows.map((r) => [r.start, r.offered, r.serviceLevel, r.aht])).toEqual([[t8, 2, 1, 120], [t815, 1, 1, null]]);
  });

  it("every queue: an interval's items added up with the contract's formulas", () => {
    const [first, second] = intervalRows(items, '');
    // SL = within ÷ (answered + abandoned) = 8 ÷ 12; abandon rate 2 ÷ 12; ASA weighted by the answered: (20·8 + 5·2) ÷ 10
    expect(first).toMatchObject({ start: t8, queueId: null, offered: 12, answered: 10, answeredWithinSla: 8, abandoned: 2, abandonedShort: 1, longestWait: 50 });
    expect(first!.serviceLevel).toBeCloseTo(8 / 12);
    expect(first!.abandonRate).toBeCloseTo(2 / 12);
    expect(first!.asa).toBeCloseTo(17);
    // two queues' AHTs cannot be added up without their counts: left out, not guessed
    expect(first!.aht).toBeNull();
    expect(second).toMatchObject({ offered: 1, answered: 1, serviceLevel: 1, asa: 2 });
  });

  it('nothing answered nor abandoned: no service level rather than 0 %', () => {
    const row = addUp([item(t8, 'a', { offered: 3 }), item(t8, 'b', { offered: 1 })], null);
    expect(row).toMatchObject({ offered: 4, serviceLevel: null, abandonRate: null, asa: null });
  });

  it('per queue over the day and the whole day', () => {
    const byQueue = queueRows(items);
    expect(byQueue.map((r) => [r.queueId, r.offered, r.answered])).toEqual([['medical_spanish', 10, 8], ['legal_french', 3, 3]]);
    expect(byQueue[0]!.aht).toBe(300); // one item with an AHT: that one is exact
    const total = totalRow(items, '')!;
    expect(total).toMatchObject({ start: t8, end: '2026-12-02T08:30:00Z', offered: 13, answered: 11, answeredWithinSla: 9, abandoned: 2 });
    expect(total.serviceLevel).toBeCloseTo(9 / 13);
    expect(totalRow(items, 'nowhere')).toBeNull();
  });

  it('an empty day is told apart from a day of zeros with calls', () => {
    expect(isEmptyReport(intervalRows([item(t8, 'a'), item(t815, 'a')], ''))).toBe(true);
    expect(isEmptyReport(intervalRows(items, ''))).toBe(false);
    expect(isEmptyReport(intervalRows([item(t8, 'a', { abandoned_short: 1 })], ''))).toBe(false);
  });

  it('the service level against its target: met, within 10 points, or missed', () => {
    expect(slTone(0.8, 0.8)).toBe('good');
    expect(slTone(0.75, 0.8)).toBe('warn');
    expect(slTone(0.69, 0.8)).toBe('bad');
    expect(slTone(null, 0.8)).toBe('');
  });
});
