/**
 * The wall page (`/wall`): signs in like the dashboard (the same form, and the tab's credential
 * kept across a reload), then shows the queues full screen. Socket.io reconnects by itself; after a
 * fresh subscription (a first connection, or a resume the server cannot serve) it loads the
 * snapshot again, and a `metrics` push refreshes every figure each second in any case.
 */
import './style.css';
import { ApiError } from './api';
import { arrivalFromAddress, forgetCredentials, offerIdentityProvider, savedCredential, signIn, type OpenSession } from './session';
import { Store } from './store';
import { signInView } from './view/shell';
import { wallView } from './view/wall';

const store = new Store();
const form = signInView((request) => void start(request));
const wall = wallView(store);
document.getElementById('app')!.append(form.element, wall.element);

let session: OpenSession | null = null;
let generation = 0;

async function start(request: Parameters<typeof signIn>[0]): Promise<void> {
  session = await signIn(request, form, store, () => void loadSnapshot());
}

/** The alerts, queues, agents and the center's figures; the wall needs no calls. */
async function loadSnapshot(): Promise<void> {
  const gen = ++generation;
  const api = session?.api;
  if (!api) return;
  try {
    const [alerts, queues, agents, center] = await Promise.all([
      api.openAlerts(),
      api.queues(),
      api.agents(),
      api.center().catch((e: unknown) => (e instanceof ApiError && e.status === 404 ? null : Promise.reject(e))),
    ]);
    if (gen === generation) store.dispatch({ kind: 'snapshot', calls: [], alerts, queues, agents, center });
  } catch (e) {
    if (gen !== generation) return;
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
      store.dispatch({ kind: 'signed_out', message: e.message });
      return;
    }
    setTimeout(() => {
      if (gen === generation) void loadSnapshot();
    }, 2_000);
  }
}

// a refused credential (the socket signs out) or an ended session: back to the form
store.subscribe(() => {
  if (store.state.session === null && session !== null) {
    session.link.close();
    session = null;
    generation++;
    forgetCredentials();
  }
});

let frameQueued = false;

/** One render per animation frame, however many pushes came. */
function schedule(): void {
  if (frameQueued) return;
  frameQueued = true;
  requestAnimationFrame(() => {
    frameQueued = false;
    render();
  });
}

function render(): void {
  const changes = store.takeChanges();
  const signedIn = store.state.session !== null;
  form.element.hidden = signedIn;
  wall.element.hidden = !signedIn;
  if (changes.session && !signedIn) {
    form.showMessage(store.state.connectionMessage);
    form.busy(false);
    form.focus();
  }
  wall.render(changes, Date.now() + (store.state.session?.clockOffsetMs ?? 0));
}

store.subscribe(schedule);
setInterval(schedule, 1_000); // the clock

const arrived = arrivalFromAddress();
const saved = arrived.credential ?? savedCredential();
render();
if (saved) void start(saved);
else form.focus();
if (arrived.error) form.showMessage(arrived.error);
void offerIdentityProvider(form, '/wall');
