/**
 * The simulator's controls: start one call (queue, voice or video), and the traffic generator
 * (calls per minute, start/stop, what it has done). Acting on one call is in the call panel.
 */
import type { Changes, Store } from '../store';
import type { CallType } from '../wire';
import { h, replaceChildren, setText } from './dom';

export interface SimulatorHandlers {
  newCall(queueId: string, type: CallType, callId: string): Promise<void>;
  startTraffic(callsPerMinute: number): void;
  stopTraffic(): void;
  canIngest(): boolean;
}

export function simulatorPanel(store: Store, handlers: SimulatorHandlers): { element: HTMLElement; render(changes: Changes): void } {
  const queueSelect = h('select', { attrs: { id: 'sim-queue', name: 'queue' } });
  const typeVoice = h('input', { attrs: { type: 'radio', name: 'sim-type', value: 'voice', id: 'sim-type-voice', checked: true } });
  const typeVideo = h('input', { attrs: { type: 'radio', name: 'sim-type', value: 'video', id: 'sim-type-video' } });
  const callId = h('input', { attrs: { id: 'sim-call-id', type: 'text', placeholder: 'automatic', autocomplete: 'off', maxlength: 128, spellcheck: 'false' } });
  const newCallBtn = h('button', { class: 'btn primary', attrs: { type: 'submit', id: 'sim-new-call' } }, 'Start call');
  const newCallForm = h(
    'form',
    { class: 'sim-form', attrs: { 'aria-labelledby': 'sim-new-title' } },
    h('h3', { attrs: { id: 'sim-new-title' } }, 'New call'),
    h('div', { class: 'field' }, h('label', { attrs: { for: 'sim-queue' } }, 'Queue'), queueSelect),
    h(
      'fieldset',
      { class: 'field segmented' },
      h('legend', null, 'Media'),
      h('label', { attrs: { for: 'sim-type-voice' } }, typeVoice, h('span', null, 'Voice')),
      h('label', { attrs: { for: 'sim-type-video' } }, typeVideo, h('span', null, 'Video')),
    ),
    h('div', { class: 'field' }, h('label', { attrs: { for: 'sim-call-id' } }, 'Call id'), callId),
    newCallBtn,
  );
  newCallForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const type: CallType = typeVideo.checked ? 'video' : 'voice';
    newCallBtn.disabled = true;
    handlers.newCall(queueSelect.value, type, callId.value.trim()).finally(() => {
      newCallBtn.disabled = false;
      callId.value = '';
    });
  });

  const rate = h('input', { attrs: { id: 'sim-rate', type: 'number', min: 1, max: 600, step: 1, value: 10, inputmode: 'numeric' } });
  const toggle = h('button', { class: 'btn', attrs: { type: 'button', id: 'sim-traffic', 'aria-pressed': 'false' } }, 'Start traffic');
  const stats = h('p', { class: 'muted small num', attrs: { id: 'sim-stats', 'aria-live': 'polite' } });
  toggle.addEventListener('click', () => {
    if (store.state.simulator.running) handlers.stopTraffic();
    else handlers.startTraffic(Math.max(1, Math.min(600, Number(rate.value) || 10)));
  });
  const traffic = h(
    'div',
    { class: 'sim-form', attrs: { role: 'group', 'aria-labelledby': 'sim-traffic-title' } },
    h('h3', { attrs: { id: 'sim-traffic-title' } }, 'Traffic generator'),
    h('p', { class: 'muted small' }, 'Random, realistic call lives: waits, abandons, rings without answer, holds, transfers, short calls.'),
    h('div', { class: 'field inline' }, h('label', { attrs: { for: 'sim-rate' } }, 'Calls per minute'), rate, toggle),
    stats,
  );
  const roleNote = h('p', { class: 'note' }, 'The simulator posts events through the API: it needs a key with the ingest role (admin keys have it).');
  const element = h('section', { class: 'simulator', attrs: { 'aria-label': 'Simulator', id: 'simulator' } }, roleNote, newCallForm, traffic);
  let queuesKey = '';

  return {
    element,
    render(changes) {
      const can = handlers.canIngest();
      roleNote.hidden = can;
      for (const el of [queueSelect, typeVoice, typeVideo, callId, newCallBtn, rate, toggle]) el.disabled = !can;
      if (changes.metrics || changes.session) {
        const key = [...store.state.queues.keys()].join(',');
        if (key !== queuesKey) {
          const selected = queueSelect.value;
          replaceChildren(queueSelect, ...[...store.state.queues.values()].map((q) => h('option', { attrs: { value: q.id } }, q.name)));
          if (selected) queueSelect.value = selected;
          queuesKey = key;
        }
      }
      if (changes.simulator || changes.session) {
        const s = store.state.simulator;
        setText(toggle, s.running ? 'Stop traffic' : 'Start traffic');
        toggle.className = s.running ? 'btn danger' : 'btn primary';
        toggle.setAttribute('aria-pressed', String(s.running));
        setText(stats, s.started + s.posted + s.rejected === 0 ? 'Not started.' : `${s.running ? `Running at ${s.callsPerMinute}/min. ` : 'Stopped. '}${s.started} calls started, ${s.posted} events posted, ${s.rejected} refused.`);
      }
    },
  };
}
