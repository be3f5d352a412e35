import { describe, expect, it } from 'vitest';
import { agentFixture, queueFixture } from '../fixtures';
import type { Alert } from '../wire';
import { wallFigures } from './wall';

const T0 = Date.parse('2026-12-03T10:00:00Z');

function openAlert(id: string, queue: string | null): Alert {
  return { seq: 1, id, kind: 'sla_breach', call_id: id, queue_id: queue, agent_id: null, at: new Date(T0).toISOString(), message: '', acked_at: null };
}

describe('the wall figures', () => {
  const spanish = queueFixture({ agents: ['ana', 'luis', 'sofia', 'marta'] }, { waiting_now: 4, longest_wait: 75, service_level: 0.62, sl_target: 0.8, abandoned: 2, offered: 30 });
  const french = queueFixture({ id: 'legal_french', name: 'Legal French', agents: ['chloe'] }, { waiting_now: 0, longest_wait: 0, service_level: null });
  const agents = new Map(
    [
      agentFixture('ana', T0, { state: 'available' }),
      agentFixture('luis', T0, { state: 'on_call' }),
      agentFixture('sofia', T0, { state: 'ringing' }),
      agentFixture('marta', T0, { state: 'wrap_up' }),
      agentFixture('chloe', T0, { state: 'on_hold' }),
    ].map((a) => [a.id, a]),
  );

  it("take each queue's waiting, longest wait and service level from its metrics, in the server's order", () => {
    const [es, fr] = wallFigures([spanish, french], agents, []);
    expect(es).toMatchObject({ id: 'medical_spanish', name: 'Medical Spanish', waiting: 4, longestWait: 75, slaSeconds: 30, serviceLevel: 0.62, target: 0.8, abandoned: 2, offered: 30 });
    expect(fr).toMatchObject({ id: 'legal_french', waiting: 0, serviceLevel: null });
  });

  it("count the queue's own agents: available, and on a call while ringing, talking or holding", () => {
    const [es, fr] = wallFigures([spanish, french], agents, []);
    expect([es!.agentsAvailable, es!.agentsOnCall]).toEqual([1, 2]);
    expect([fr!.agentsAvailable, fr!.agentsOnCall]).toEqual([0, 1]);
  });

  it('count the open alerts of each queue; an alert of no queue counts for none', () => {
    const open = [openAlert('a1', 'medical_spanish'), openAlert('a2', 'medical_spanish'), openAlert('a3', 'legal_french'), openAlert('a4', null)];
    expect(wallFigures([spanish, french], agents, open).map((f) => f.openAlerts)).toEqual([2, 1]);
  });

  it('leave out an agent the center does not know yet', () => {
    const [es] = wallFigures([queueFixture({ agents: ['ana', 'ghost'] })], agents, []);
    expect(es!.agentsAvailable).toBe(1);
  });
});
