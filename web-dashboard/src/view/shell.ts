/**
 * The frame around the data: sign-in screen, header with the connection state and totals, the
 * filter bar, the side panel's tabs and the notices.
 */
import type { ViewId } from '../reports';
import type { Changes, ConnectionState, Filters, Store } from '../store';
import { CALL_STATUSES } from '../wire';
import type { CallStatus } from '../wire';
import { SHORTCUT_HELP } from '../shortcuts';
import { h, replaceChildren, setAttrs, setText, toggleClass } from './dom';
import { STATUS_LABEL } from './format';

// ---- sign in ------------------------------------------------------------------------------------

export interface SignInView {
  element: HTMLElement;
  showMessage(text: string | null): void;
  /** Adds the link to sign in through the center's identity provider (OpenID Connect). */
  offerProvider(href: string): void;
  busy(on: boolean): void;
  focus(): void;
}

/** What the sign-in form asks for: a named supervisor's username and password, or an API key (integrations, tests). */
export type SignInRequest = { kind: 'user'; username: string; password: string } | { kind: 'key'; key: string };

export function signInView(onSubmit: (request: SignInRequest) => void): SignInView {
  let mode: SignInRequest['kind'] = 'user';
  const username = h('input', {
    attrs: { id: 'username', name: 'username', type: 'text', autocomplete: 'username', spellcheck: 'false', autocapitalize: 'none', 'aria-describedby': 'signin-message' },
  });
  const password = h('input', {
    attrs: { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', 'aria-describedby': 'signin-message' },
  });
  const input = h('input', {
    attrs: { id: 'api-key', name: 'api-key', type: 'password', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'signin-hint signin-message' },
  });
  const userFields = h(
    'div',
    { class: 'signin-user', attrs: { id: 'signin-user' } },
    h('div', { class: 'field' }, h('label', { attrs: { for: 'username' } }, 'Username'), username),
    h('div', { class: 'field' }, h('label', { attrs: { for: 'password' } }, 'Password'), password),
  );
  const keyFields = h(
    'div',
    { class: 'signin-key', attrs: { id: 'signin-key' } },
    h('div', { class: 'field' }, h('label', { attrs: { for: 'api-key' } }, 'API key'), input),
    h('p', { class: 'hint', attrs: { id: 'signin-hint' } }, 'A supervisor key lets you watch; an admin key also drives the simulator. The key is kept for this tab only.'),
  );
  const toggle = h('button', { class: 'btn ghost small signin-toggle', attrs: { type: 'button', id: 'signin-mode' } });
  const button = h('button', { class: 'btn primary wide', attrs: { type: 'submit', id: 'sign-in' } }, 'Sign in');
  const message = h('p', { class: 'form-message', attrs: { id: 'signin-message', role: 'alert' } });
  const provider = h('a', { class: 'btn wide signin-provider', attrs: { id: 'signin-oidc', href: '#' } }, 'Sign in with your organization');
  provider.hidden = true;
  const form = h(
    'form',
    { class: 'signin-card', attrs: { 'aria-labelledby': 'signin-title' } },
    logo(),
    h('h1', { attrs: { id: 'signin-title' } }, 'Switchboard'),
    h('p', { class: 'muted' }, 'Supervisor dashboard'),
    userFields,
    keyFields,
    message,
    button,
    provider,
    toggle,
  );
  const show = (next: SignInRequest['kind']): void => {
    mode = next;
    userFields.hidden = mode !== 'user';
    keyFields.hidden = mode !== 'key';
    username.required = mode === 'user';
    password.required = mode === 'user';
    input.required = mode === 'key';
    setText(toggle, mode === 'user' ? 'Use an API key instead' : 'Sign in with a username');
    setAttrs(form, { 'data-mode': mode });
  };
  show('user');
  toggle.addEventListener('click', () => {
    show(mode === 'user' ? 'key' : 'user');
    setText(message, '');
    message.hidden = true;
    (mode === 'user' ? username : input).focus();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (mode === 'key') {
      const key = input.value.trim();
      if (key) onSubmit({ kind: 'key', key });
    } else {
      const name = username.value.trim();
      if (name && password.value) onSubmit({ kind: 'user', username: name, password: password.value });
    }
  });
  const element = h('main', { class: 'signin', attrs: { id: 'signin' } }, form);
  return {
    element,
    showMessage(text) {
      setText(message, text ?? '');
      message.hidden = !text;
    },
    offerProvider(href) {
      provider.setAttribute('href', href);
      provider.hidden = false;
    },
    busy(on) {
      button.disabled = on;
      toggle.disabled = on;
      setText(button, on ? 'Signing in…' : 'Sign in');
      // a password is never left in the page once it has been sent
      if (on) password.value = '';
    },
    focus() {
      (mode === 'user' ? (username.value ? password : username) : input).focus();
    },
  };
}

export function logo(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const s = document.createElementNS(ns, 'svg');
  s.setAttribute('viewBox', '0 0 32 32');
  s.setAttribute('class', 'logo');
  s.setAttribute('aria-hidden', 'true');
  const rect = document.createElementNS(ns, 'rect');
  Object.entries({ x: '1', y: '1', width: '30', height: '30', rx: '8' }).forEach(([k, v]) => rect.setAttribute(k, v));
  s.append(rect);
  for (const [x, y] of [[10, 11], [22, 11], [10, 21], [22, 21]] as const) {
    const c = document.createElementNS(ns, 'circle');
    c.setAttribute('cx', String(x));
    c.setAttribute('cy', String(y));
    c.setAttribute('r', '2.6');
    s.append(c);
  }
  const p = document.createElementNS(ns, 'path');
  p.setAttribute('d', 'M10 11 C16 11 16 21 22 21 M22 11 L22 14');
  s.append(p);
  return s;
}

// ---- header -------------------------------------------------------------------------------------

const CONNECTION_LABEL: Record<ConnectionState, string> = {
  signed_out: 'Signed out',
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

export function headerView(store: Store, onSignOut: () => void, onNavigate: (view: ViewId) => void, onHelp: () => void): { element: HTMLElement; render(changes: Changes): void } {
  const links = new Map<ViewId, HTMLAnchorElement>();
  const nav = h('nav', { class: 'views', attrs: { 'aria-label': 'Views' } });
  for (const [view, label, href] of [['live', 'Live', '#'], ['reports', 'Reports', '#reports']] as const) {
    const a = h('a', { class: 'view-link', attrs: { id: `nav-${view}`, href } }, label);
    a.addEventListener('click', (e) => {
      if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return; // a new tab: let the browser have it
      e.preventDefault();
      onNavigate(view);
    });
    links.set(view, a);
    nav.append(a);
  }
  // the wall is a page of its own (a TV keeps its address); in this tab it stays signed in
  nav.append(h('a', { class: 'view-link', attrs: { id: 'nav-wall', href: 'wall', title: 'The queues full screen, for a TV' } }, 'Wall'));
  const conn = h('span', { class: 'conn', attrs: { id: 'connection', role: 'status', 'aria-live': 'polite' } });
  const connMsg = h('span', { class: 'conn-message', attrs: { id: 'connection-message' } });
  const totals = h('dl', { class: 'totals', attrs: { 'aria-label': 'Center totals' } });
  const role = h('span', { class: 'role', attrs: { id: 'signed-in-as' } });
  const signOut = h('button', { class: 'btn ghost small', attrs: { type: 'button', id: 'sign-out' }, on: { click: onSignOut } }, 'Sign out');
  const help = h('button', { class: 'btn ghost small', attrs: { type: 'button', id: 'shortcuts-help', title: 'Keyboard shortcuts (?)', 'aria-label': 'Keyboard shortcuts' }, on: { click: onHelp } }, '?');
  const element = h(
    'header',
    { class: 'topbar' },
    h('div', { class: 'brand' }, logo(), h('span', { class: 'name' }, 'Switchboard'), h('span', { class: 'sub' }, 'Supervisor')),
    nav,
    conn,
    connMsg,
    totals,
    h('div', { class: 'who' }, role, help, signOut),
  );
  return {
    element,
    render(changes) {
      const s = store.state;
      if (changes.view || changes.session) {
        for (const [view, a] of links) {
          setAttrs(a, { 'aria-current': view === s.view ? 'page' : null });
          toggleClass(a, 'active', view === s.view);
        }
      }
      if (changes.session) {
        conn.className = `conn c-${s.connection}`;
        replaceChildren(conn, h('span', { class: 'dot', attrs: { 'aria-hidden': 'true' } }), CONNECTION_LABEL[s.connection]);
        conn.dataset['state'] = s.connection;
        setText(connMsg, s.connection === 'live' ? '' : s.connectionMessage ?? '');
        setText(role, s.session ? (s.session.user ? `${s.session.user} (${s.session.role})` : `${s.session.role} key`) : '');
      }
      if (changes.calls.size > 0 || changes.removed.size > 0 || changes.alerts || changes.session || changes.order) {
        const c = store.statusCounts();
        const open = store.openAlerts().length;
        replaceChildren(
          totals,
          total('Waiting', c.waiting, 'waiting'),
          total('Active', c.active, 'active'),
          total('On hold', c.on_hold, 'on_hold'),
          total('Open alerts', open, open > 0 ? 'alerting' : 'quiet'),
        );
      }
    },
  };
}

function total(label: string, n: number, tone: string): HTMLElement {
  return h('div', { class: `total t-${tone}` }, h('dt', null, label), h('dd', { class: 'num' }, n.toLocaleString()));
}

// ---- filters ------------------------------------------------------------------------------------

export function filterBar(store: Store, onChange: (f: Partial<Filters>) => void): { element: HTMLElement; render(changes: Changes): void } {
  const chips = new Map<CallStatus, { input: HTMLInputElement; count: HTMLSpanElement }>();
  const statusGroup = h('fieldset', { class: 'chips' }, h('legend', { class: 'sr-only' }, 'Status'));
  for (const st of CALL_STATUSES) {
    const input = h('input', { attrs: { type: 'checkbox', id: `f-status-${st}`, value: st, name: 'status' } });
    const count = h('span', { class: 'chip-count num' });
    input.addEventListener('change', () => {
      const status = CALL_STATUSES.filter((x) => chips.get(x)!.input.checked);
      onChange({ status });
    });
    statusGroup.append(h('label', { class: `chip s-${st}`, attrs: { for: `f-status-${st}` } }, input, h('span', null, STATUS_LABEL[st]), count));
    chips.set(st, { input, count });
  }
  const queue = h('select', { attrs: { id: 'f-queue', name: 'queue' } });
  const agent = h('select', { attrs: { id: 'f-agent', name: 'agent' } });
  const search = h('input', { attrs: { id: 'f-search', type: 'search', placeholder: 'Search call id', autocomplete: 'off', spellcheck: 'false' } });
  const clear = h('button', { class: 'btn ghost small', attrs: { type: 'button', id: 'f-clear' } }, 'Clear filters');
  queue.addEventListener('change', () => onChange({ queue: queue.value }));
  agent.addEventListener('change', () => onChange({ agent: agent.value }));
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => onChange({ search: search.value }), 120);
  });
  clear.addEventListener('click', () => onChange({ status: [], queue: '', agent: '', search: '' }));
  const element = h(
    'div',
    { class: 'filters', attrs: { role: 'search', 'aria-label': 'Filter calls' } },
    statusGroup,
    h('label', { class: 'sr-only', attrs: { for: 'f-queue' } }, 'Queue'),
    queue,
    h('label', { class: 'sr-only', attrs: { for: 'f-agent' } }, 'Agent'),
    agent,
    h('label', { class: 'sr-only', attrs: { for: 'f-search' } }, 'Search call id'),
    search,
    clear,
  );
  let optionsKey = '';

  return {
    element,
    render(changes) {
      const s = store.state;
      const f = s.filters;
      if (changes.metrics || changes.filters || changes.session) {
        const queues = [...s.queues.values()];
        const agents = [...new Set([...s.agents.keys(), ...(f.agent ? [f.agent] : [])])].sort();
        const queueIds = [...new Set([...queues.map((q) => q.id), ...(f.queue ? [f.queue] : [])])];
        const key = queueIds.join(',') + '|' + agents.join(',');
        if (key !== optionsKey) {
          optionsKey = key;
          replaceChildren(queue, h('option', { attrs: { value: '' } }, 'All queues'), ...queueIds.map((id) => h('option', { attrs: { value: id } }, s.queues.get(id)?.name ?? id)));
          replaceChildren(agent, h('option', { attrs: { value: '' } }, 'All agents'), ...agents.map((id) => h('option', { attrs: { value: id } }, id)));
        }
      }
      if (changes.filters || changes.session) {
        for (const [st, chip] of chips) chip.input.checked = f.status.includes(st);
        if (queue.value !== f.queue) queue.value = f.queue;
        if (agent.value !== f.agent) agent.value = f.agent;
        if (document.activeElement !== search && search.value !== f.search) search.value = f.search;
        clear.hidden = f.status.length === 0 && !f.queue && !f.agent && !f.search;
      }
      if (changes.calls.size > 0 || changes.removed.size > 0 || changes.order || changes.session) {
        const counts = store.statusCounts();
        for (const [st, chip] of chips) setText(chip.count, counts[st].toLocaleString());
      }
    },
  };
}

// ---- side panel tabs ----------------------------------------------------------------------------

export type TabId = 'call' | 'agents' | 'simulator';

/** `onShow`: a panel was shown (views that skip drawing while hidden draw then). */
export function tabs(panels: { id: TabId; label: string; content: HTMLElement }[], onShow: (id: TabId) => void = () => {}): { element: HTMLElement; show(id: TabId): void; badge(id: TabId, text: string): void } {
  const list = h('div', { class: 'tablist', attrs: { role: 'tablist', 'aria-label': 'Details' } });
  const buttons = new Map<TabId, HTMLButtonElement>();
  const badges = new Map<TabId, HTMLSpanElement>();
  const sections = new Map<TabId, HTMLElement>();
  const body = h('div', { class: 'tabpanels' });
  for (const p of panels) {
    const badge = h('span', { class: 'tab-badge' });
    const b = h('button', { class: 'tab', attrs: { type: 'button', role: 'tab', id: `tab-${p.id}`, 'aria-controls': `panel-${p.id}` } }, p.label, badge);
    b.addEventListener('click', () => show(p.id));
    b.addEventListener('keydown', (e) => {
      const i = panels.findIndex((x) => x.id === p.id);
      const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
      if (d !== 0) {
        const next = panels[(i + d + panels.length) % panels.length]!;
        show(next.id);
        buttons.get(next.id)!.focus();
        e.preventDefault();
      }
    });
    list.append(b);
    buttons.set(p.id, b);
    badges.set(p.id, badge);
    const section = h('div', { class: 'tabpanel', attrs: { role: 'tabpanel', id: `panel-${p.id}`, 'aria-labelledby': `tab-${p.id}`, tabindex: '0' } }, p.content);
    sections.set(p.id, section);
    body.append(section);
  }
  function show(id: TabId, notify = true) {
    for (const [k, b] of buttons) {
      setAttrs(b, { 'aria-selected': k === id ? 'true' : 'false', tabindex: k === id ? '0' : '-1' });
      toggleClass(b, 'active', k === id);
      sections.get(k)!.hidden = k !== id;
    }
    if (notify) onShow(id);
  }
  show(panels[0]!.id, false);
  return {
    element: h('section', { class: 'panel side-tabs' }, list, body),
    show,
    badge(id, text) {
      const b = badges.get(id)!;
      setText(b, text);
      b.hidden = text === '';
    },
  };
}

// ---- notices ------------------------------------------------------------------------------------

export function noticesView(store: Store, onDismiss: (id: number) => void): { element: HTMLElement; render(changes: Changes): void } {
  const element = h('div', { class: 'notices', attrs: { 'aria-live': 'polite', role: 'log', id: 'notices' } });
  const shown = new Map<number, HTMLElement>();
  return {
    element,
    render(changes) {
      if (!changes.notices) return;
      const ids = new Set(store.state.notices.map((n) => n.id));
      for (const [id, el] of shown) {
        if (!ids.has(id)) {
          el.remove();
          shown.delete(id);
        }
      }
      for (const n of store.state.notices) {
        if (shown.has(n.id)) continue;
        const el = h(
          'div',
          { class: `notice ${n.tone}`, attrs: { role: n.tone === 'error' ? 'alert' : 'status' } },
          h('span', null, n.text),
          h('button', { class: 'btn ghost tiny', attrs: { type: 'button', 'aria-label': 'Dismiss' }, on: { click: () => onDismiss(n.id) } }, '×'),
        );
        element.append(el);
        shown.set(n.id, el);
        setTimeout(() => onDismiss(n.id), n.tone === 'error' ? 10_000 : 5_000);
      }
    },
  };
}

// ---- keyboard shortcuts -------------------------------------------------------------------------

/** The list of shortcuts, in a dialog ("?" in the header, or the ? key); Escape or Close closes it. */
export function shortcutsDialog(): { element: HTMLDialogElement; open(): void } {
  const close = h('button', { class: 'btn small', attrs: { type: 'button', id: 'shortcuts-close' } }, 'Close');
  const element = h(
    'dialog',
    { class: 'shortcuts', attrs: { id: 'shortcuts', 'aria-labelledby': 'shortcuts-title' } },
    h('h2', { attrs: { id: 'shortcuts-title' } }, 'Keyboard shortcuts'),
    h('p', { class: 'muted small' }, 'Not while typing in a field. The console has the same set (Ctrl+F, Ctrl+1–6 and Ctrl+N there are the browser\'s own keys here).'),
    h('dl', null, ...SHORTCUT_HELP.map(([keys, what]) => h('div', null, h('dt', null, h('kbd', null, keys)), h('dd', null, what)))),
    close,
  );
  close.addEventListener('click', () => element.close());
  return {
    element,
    open() {
      if (!element.open) element.showModal();
    },
  };
}
