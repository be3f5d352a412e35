/**
 * The simulator's controls: start one call (queue, voice or video), and the server's traffic
 * generator (calls per minute and for how long, start or change, stop, what it is doing and has
 * done). Acting on one call is in the call panel.
 */
import type { Changes, Store } from '../store';
import { DEFAULT_TRAFFIC_DURATION, MAX_CALLS_PER_MINUTE, TRAFFIC_DURATIONS, trafficCountsText, trafficRequest, trafficStatusText } from '../traffic';
import type { CallType, TrafficRequest } from '../wire';
import { h, replaceChildren, setAttrs, setText, toggleClass } from './dom';

export interface SimulatorHandlers {
  newCall(queueId: string, type: CallType, callId: string): Promise<void>;
  /** starts the server's generator, or changes the running one */
  startTraffic(request: TrafficRequest): void;
  stopTraffic(): void;
  canIngest(): boolean;
  /** only an admin starts and stops the server's generator */
  canDriveTraffic(): boolean;
}

export function simulatorPanel(store: Store, handlers: SimulatorHandlers): { element: HTMLElement; render(changes: Changes, now: number, tick: boolean): void } {
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

  const rate = h('input', { attrs: { id: 'sim-rate', type: 'number', min: 1, max: MAX_CALLS_PER_MINUTE, step: 1, value: 10, inputmode: 'numeric', required: true } });
  const duration = h(
    'select',
    { attrs: { id: 'sim-duration' } },
    ...TRAFFIC_DURATIONS.map((d) => h('option', { attrs: { value: d.value, selected: d.value === DEFAULT_TRAFFIC_DURATION } }, d.label)),
  );
  const start = h('button', { class: 'btn primary', attrs: { type: 'submit', id: 'sim-traffic' } }, 'Start traffic');
  const stop = h('button', { class: 'btn danger', attrs: { type: 'button', id: 'sim-traffic-stop' } }, 'Stop');
  const status = h('p', { class: 'small', attrs: { id: 'sim-stats', role: 'status' } });
  const counts = h('p', { class: 'muted small num', attrs: { id: 'sim-counts' } });
  const problem = h('p', { class: 'field-problem', attrs: { id: 'sim-traffic-problem', role: 'alert' } });
  const adminNote = h('p', { class: 'muted small', attrs: { id: 'sim-traffic-admin' } }, 'Only an admin starts or stops it; you see what it does.');
  const trafficForm = h(
    'form',
    { class: 'sim-form traffic', attrs: { 'aria-labelledby': 'sim-traffic-title', id: 'sim-traffic-form', novalidate: true } },
    h('h3', { attrs: { id: 'sim-traffic-title' } }, 'Traffic generator'),
    h(
      'p',
      { class: 'muted small' },
      'Runs in the server: random, realistic call lives (waits, abandons, rings without answer, holds, transfers, short calls) in calls named gen-…. It goes on when this tab closes and stops by itself after its time, ending the calls it played.',
    ),
    h(
      'div',
      { class: 'traffic-fields' },
      h('div', { class: 'field' }, h('label', { attrs: { for: 'sim-rate' } }, 'Calls per minute'), rate),
      h('div', { class: 'field' }, h('label', { attrs: { for: 'sim-duration' } }, 'For'), duration),
      h('div', { class: 'traffic-buttons' }, start, stop),
    ),
    problem,
    status,
    counts,
    adminNote,
  );
  trafficForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const asked = trafficRequest(rate.value, duration.value);
    setText(problem, 'error' in asked ? asked.error : '');
    if ('request' in asked) handlers.startTraffic(asked.request);
  });
  stop.addEventListener('click', () => handlers.stopTraffic());
  const roleNote = h('p', { class: 'note' }, 'The simulator posts events through the API: it needs a key with the ingest role (admin keys have it).');
  const element = h('section', { class: 'simulator', attrs: { 'aria-label': 'Simulator', id: 'simulator' } }, roleNote, newCallForm, trafficForm);
  let queuesKey = '';

  return {
    element,
    render(changes, now, tick) {
      const can = handlers.canIngest();
      roleNote.hidden = can;
      for (const el of [queueSelect, typeVoice, typeVideo, callId, newCallBtn]) el.disabled = !can;
      if (changes.metrics || changes.session) {
        const key = [...store.state.queues.keys()].join(',');
        if (key !== queuesKey) {
          const selected = queueSelect.value;
          replaceChildren(queueSelect, ...[...store.state.queues.values()].map((q) => h('option', { attrs: { value: q.id } }, q.name)));
          if (selected) queueSelect.value = selected;
          queuesKey = key;
        }
      }
      if (changes.traffic || changes.session || tick) {
        const t = store.state.traffic;
        const running = t.status?.running === true;
        const drive = handlers.canDriveTraffic();
        adminNote.hidden = drive;
        for (const el of [rate, duration, start, stop]) el.disabled = !drive || t.busy;
        setText(start, running ? 'Change' : 'Start traffic');
        setAttrs(start, { title: running ? 'Run at this rate for this long from now' : null });
        stop.hidden = !running;
        trafficForm.dataset['running'] = String(running);
        setText(status, t.error ? `Could not ask the server: ${t.error}` : trafficStatusText(t.status, now));
        toggleClass(status, 'running', running);
        setText(counts, trafficCountsText(t.status));
      }
    },
  };
}

