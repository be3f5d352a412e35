/**
 * One call: its state, the simulator's buttons that make sense for it now, and its whole story
 * (history) growing live while it is open.
 */
import type { ActionParams, CallAction } from '../simulator';
import { actionsFor, END_REASONS, phaseOf } from '../simulator';
import type { Changes, Store } from '../store';
import { elapsedSeconds } from '../store';
import type { Alert, Call, CallEvent } from '../wire';
import { h, replaceChildren, setText } from './dom';
import { ackedText, ALERT_LABEL, clock, describeEntry, eventLabel, flagLabel, humanize, seconds, sourceOf, STATUS_LABEL, timeOfDay } from './format';

export interface CallDetail {
  element: HTMLElement;
  render(changes: Changes, now: number, tick: boolean): void;
}

export interface CallDetailHandlers {
  onAction(call: Call, action: CallAction, params: ActionParams): Promise<void>;
  onClose(): void;
  canIngest(): boolean;
}

const ACTION_LABEL: Record<CallAction, string> = {
  route: 'Route',
  answer: 'Answer',
  no_answer: 'No answer',
  hold: 'Hold',
  resume: 'Resume',
  transfer: 'Transfer',
  end: 'End call',
};

export function callDetail(store: Store, handlers: CallDetailHandlers): CallDetail {
  const title = h('h2', { attrs: { id: 'call-title' } }, 'Call');
  const closeBtn = h('button', { class: 'btn ghost small', attrs: { type: 'button', 'aria-label': 'Close call details' }, on: { click: () => handlers.onClose() } }, 'Close');
  const summary = h('dl', { class: 'summary' });
  const actions = h('div', { class: 'actions', attrs: { role: 'group', 'aria-label': 'Simulator actions for this call' } });
  const historyList = h('ol', { class: 'history', attrs: { 'aria-label': 'Event history', id: 'history' } });
  const alertsHead = h('h3', null, 'Alerts');
  const alertList = h('ul', { class: 'call-alerts', attrs: { 'aria-label': "This call's alerts", id: 'call-alerts' } });
  const historyNote = h('p', { class: 'empty-note' });
  const placeholder = h('p', { class: 'empty-note' }, 'Select a call in the table to see its history and act on it.');
  const body = h(
    'div',
    { class: 'detail-body' },
    summary,
    actions,
    alertsHead,
    alertList,
    h('h3', null, 'History'),
    historyNote,
    historyList,
  );
  const head = h('header', { class: 'panel-head' }, title, closeBtn);
  const element = h(
    'section',
    { class: 'call-detail', attrs: { 'aria-labelledby': 'call-title', id: 'call-detail' } },
    head,
    placeholder,
    body,
  );
  let actionsKey = '';
  let shownCall: Call | null = null;
  let historyShown: { callId: string; count: number } | null = null;
  const timeCell = h('dd', { class: 'num' });

  function renderSummary(c: Call, now: number): void {
    const ringing = phaseOf(c) === 'ringing';
    const items: [string, Node | string][] = [
      ['Status', h('span', null, h('span', { class: `pill s-${ringing ? 'ringing' : c.status}` }, ringing ? 'Ringing' : STATUS_LABEL[c.status]), ` ${c.type === 'video' ? 'Video' : 'Voice'}`)],
      ['Queue', c.queue_id ? store.state.queues.get(c.queue_id)?.name ?? humanize(c.queue_id) : '–'],
      ['Agent', c.agent_id ?? '–'],
    ];
    if (c.status === 'ended') {
      items.push(['Started', timeOfDay(c.start_time)], ['Ended', timeOfDay(c.end_time)], ['Duration', seconds(c.duration)], ['Reason', c.end_reason ? humanize(c.end_reason) : '–'], ['Waited', seconds(c.wait_time)]);
    } else if (c.status === 'waiting') {
      items.push(['Started', timeOfDay(c.start_time)], ['Waiting', timeCell]);
    } else {
      items.push(['Answered', timeOfDay(c.answer_time)], ['Talking', timeCell], ['Waited', seconds(c.wait_time)]);
    }
    if (c.hold_time) items.push(['On hold', seconds(c.hold_time)]);
    const children: Node[] = [];
    for (const [k, v] of items) children.push(h('div', null, h('dt', null, k), v === timeCell ? timeCell : h('dd', null, v)));
    if (c.flags.length > 0) {
      children.push(h('div', { class: 'wide' }, h('dt', null, 'Flags'), h('dd', null, ...c.flags.map((f) => h('span', { class: `flag f-${f}` }, flagLabel(f))))));
    }
    replaceChildren(summary, ...children);
    setText(timeCell, clock(elapsedSeconds(c, now)));
  }

  function renderActions(c: Call): void {
    const canIngest = handlers.canIngest();
    const key = `${c.id}|${phaseOf(c)}|${canIngest}`;
    if (key === actionsKey) return;
    actionsKey = key;
    if (!canIngest) {
      replaceChildren(actions, h('p', { class: 'muted small' }, 'Acting on calls needs a key with the ingest role (admin keys have it).'));
      return;
    }
    const available = actionsFor(c);
    if (available.length === 0) {
      replaceChildren(actions, h('p', { class: 'muted small' }, 'This call has ended.'));
      return;
    }
    const controls: Node[] = [];
    const run = (btn: HTMLButtonElement, action: CallAction, params: () => ActionParams) => {
      btn.addEventListener('click', () => {
        const call = store.state.calls.get(c.id)?.call ?? c;
        btn.disabled = true;
        handlers.onAction(call, action, params()).finally(() => {
          btn.disabled = false;
          // disabling dropped focus; give it back so the rebuilt group can keep it
          if (btn.isConnected) btn.focus();
        });
      });
      return btn;
    };
    for (const action of available) {
      const id = `act-${action}`;
      if (action === 'route') {
        const select = agentSelect(c);
        controls.push(h('div', { class: 'action-row' }, h('label', { class: 'sr-only', attrs: { for: `${id}-agent` } }, 'Agent'), select,
          run(h('button', { class: 'btn primary small', attrs: { type: 'button', id } }, ACTION_LABEL[action]), action, () => ({ agentId: select.value }))));
      } else if (action === 'transfer') {
        const select = transferSelect(c);
        controls.push(h('div', { class: 'action-row' }, h('label', { class: 'sr-only', attrs: { for: `${id}-target` } }, 'Transfer to'), select,
          run(h('button', { class: 'btn small', attrs: { type: 'button', id } }, ACTION_LABEL[action]), action, () => ({ target: select.value }))));
      } else if (action === 'end') {
        const select = h('select', { attrs: { id: `${id}-reason`, 'aria-label': 'End reason' } }, ...END_REASONS.map((r) => h('option', { attrs: { value: r } }, humanize(r))));
        if (c.status === 'waiting') select.value = 'caller_hangup';
        controls.push(h('div', { class: 'action-row' }, select,
          run(h('button', { class: 'btn danger small', attrs: { type: 'button', id } }, ACTION_LABEL[action]), action, () => ({ endReason: select.value }))));
      } else {
        controls.push(run(h('button', { class: `btn small ${action === 'answer' || action === 'resume' ? 'primary' : ''}`, attrs: { type: 'button', id } }, ACTION_LABEL[action]), action, () => ({})));
      }
    }
    // the buttons change with the call's state: whoever just used one keeps focus in the group
    const hadFocus = actions.contains(document.activeElement);
    replaceChildren(actions, ...controls);
    if (hadFocus) actions.querySelector<HTMLElement>('button, select')?.focus();
  }

  function agentSelect(c: Call): HTMLSelectElement {
    const queue = c.queue_id ? store.state.queues.get(c.queue_id) : undefined;
    const states = store.state.agents;
    const ids = [...new Set([...(queue?.agents ?? []), ...states.keys()])];
    // agents of the call's queue who are free first
    ids.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    function rank(id: string): number {
      const inQueue = queue?.agents.includes(id) ? 0 : 2;
      const free = (states.get(id)?.state ?? 'available') === 'available' ? 0 : 1;
      return inQueue + free;
    }
    return h('select', { attrs: { id: 'act-route-agent' } }, ...ids.map((id) => {
      const st = states.get(id)?.state ?? 'available';
      return h('option', { attrs: { value: id } }, st === 'available' ? id : `${id} (${st.replace('_', ' ')})`);
    }));
  }

  function transferSelect(c: Call): HTMLSelectElement {
    const queues = [...store.state.queues.values()].filter((q) => q.id !== c.queue_id);
    const agents = [...store.state.agents.values()].filter((a) => a.id !== c.agent_id && a.state === 'available');
    return h(
      'select',
      { attrs: { id: 'act-transfer-target' } },
      h('optgroup', { attrs: { label: 'Queues' } }, ...queues.map((q) => h('option', { attrs: { value: `queue:${q.id}` } }, q.name))),
      h('optgroup', { attrs: { label: 'Available agents' } }, ...agents.map((a) => h('option', { attrs: { value: `agent:${a.id}` } }, a.id))),
    );
  }

  function renderAlerts(callId: string): void {
    const list = store.alertsOfCall(callId);
    alertsHead.hidden = list.length === 0;
    alertList.hidden = list.length === 0;
    replaceChildren(alertList, ...list.map((a: Alert) => h(
      'li',
      { class: a.acked_at === null ? 'open' : 'acked', dataset: { alertId: a.id } },
      h('span', { class: `kind k-${a.kind}` }, ALERT_LABEL[a.kind] ?? a.kind),
      ' ',
      h('span', { class: 'muted num' }, timeOfDay(a.at)),
      ' · ',
      h('span', { class: 'acked-by' }, ackedText(a)),
    )));
  }

  function historyItem(e: CallEvent, prev: CallEvent | undefined): HTMLLIElement {
    const source = sourceOf(e);
    const sentence = describeEntry(e, prev);
    const meta = Object.entries(e.metadata).filter(([k, v]) => k !== 'source' && v !== null && v !== undefined && !sentence?.said.includes(k));
    return h(
      'li',
      { class: source === 'external' ? '' : source, dataset: { seq: String(e.seq), type: e.type } },
      h('span', { class: 'dot', attrs: { 'aria-hidden': 'true' } }),
      h(
        'div',
        { class: 'h-main' },
        h('div', { class: 'h-top' }, h('span', { class: 'h-type' }, eventLabel(e.type)), h('span', { class: `src ${source}` }, source), h('time', { class: 'num muted', attrs: { datetime: e.timestamp } }, timeOfDay(e.timestamp))),
        sentence ? h('p', { class: 'h-text' }, sentence.text) : null,
        meta.length > 0
          ? h('dl', { class: 'meta' }, ...meta.map(([k, v]) => h('div', null, h('dt', null, k.replace(/_/g, ' ')), h('dd', null, typeof v === 'object' ? JSON.stringify(v) : String(v)))))
          : null,
      ),
    );
  }

  function renderHistory(): void {
    const hist = store.state.history;
    if (!hist) return;
    if (historyShown?.callId !== hist.callId || historyList.children.length > hist.events.length) {
      historyList.replaceChildren();
      historyShown = { callId: hist.callId, count: 0 };
    }
    for (let i = historyShown.count; i < hist.events.length; i++) historyList.append(historyItem(hist.events[i]!, hist.events[i - 1]));
    historyShown.count = hist.events.length;
    historyNote.hidden = !(hist.loading || hist.error);
    setText(historyNote, hist.error ? `Could not load the history: ${hist.error}` : hist.loading ? 'Loading history…' : '');
    historyList.setAttribute('aria-busy', hist.loading ? 'true' : 'false');
  }

  return {
    element,
    render(changes, now, tick) {
      const id = store.state.selectedCallId;
      const row = id ? store.state.calls.get(id) : undefined;
      placeholder.hidden = id !== null;
      body.hidden = id === null;
      head.hidden = id === null;
      if (id === null) {
        setText(title, 'Call');
        shownCall = null;
        actionsKey = '';
        historyShown = null;
        historyList.replaceChildren();
        return;
      }
      setText(title, `Call ${id}`);
      if (row && (row.call !== shownCall || changes.metrics)) {
        renderSummary(row.call, now);
        renderActions(row.call);
        shownCall = row.call;
      } else if (row && tick && row.call.status !== 'ended') {
        setText(timeCell, clock(elapsedSeconds(row.call, now)));
      } else if (!row && shownCall === null) {
        replaceChildren(summary, h('p', { class: 'muted' }, 'Loading…'));
      }
      if (changes.history || changes.session) renderHistory();
      if (changes.alerts || changes.history || changes.session) renderAlerts(id);
    },
  };
}
