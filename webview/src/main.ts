/**
 * The memory panel's controller, running inside the webview (bundled to dist/webview.js as an
 * IIFE). It draws each snapshot the extension posts with the shared renderer (`render.ts`),
 * keeps the last one in the webview state (so the panel survives a window reload), and turns
 * the controls and clicks into messages for the extension (`messages.ts`).
 *
 * The page (client/src/panelHtml.ts) holds the skeleton; its CSP allows only our nonce'd script
 * and stylesheets from the extension, so everything here uses `addEventListener` and
 * `textContent`; the only markup inserted is the renderer's SVG, whose texts are escaped.
 */
import type { Range, Snapshot } from '../../shared/protocol';
import type { FromWebview, PanelState, ToWebview } from '../../shared/panelMessages';
import { DIAGRAM_CSS, renderSnapshotSvg } from '../../shared/render/svg';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): PanelState | undefined;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
/** Most visits offered in the visit chooser (a loop can run a line thousands of times). */
const MAX_VISIT_OPTIONS = 500;

function el<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`memory panel: #${id} missing from the page`);
  return e as T;
}

const where = el<HTMLElement>('where');
const stepText = el<HTMLElement>('step');
const prev = el<HTMLButtonElement>('prev');
const next = el<HTMLButtonElement>('next');
const visitBox = el<HTMLElement>('visit-controls');
const visitPrev = el<HTMLButtonElement>('visit-prev');
const visitNext = el<HTMLButtonElement>('visit-next');
const visitSelect = el<HTMLSelectElement>('visit-select');
const exportButton = el<HTMLButtonElement>('export');
const notice = el<HTMLElement>('notice');
const diagram = el<HTMLElement>('diagram');
const details = el<HTMLElement>('details');
const events = el<HTMLOListElement>('events');
const unknowns = el<HTMLUListElement>('unknowns');

let current: Snapshot | undefined;

// --- styles: the diagram's CSS is shared with the standalone SVG; CSSOM is allowed by the CSP.

try {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(DIAGRAM_CSS);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
} catch {
  // Very old webview hosts: the diagram still draws, with the browser's default colours.
}

// --- drawing

function show(snapshot: Snapshot): void {
  current = snapshot;
  document.body.classList.remove('busy');
  document.body.dataset.status = snapshot.status;
  // The position in words ("after line 3 of `main`"); when there is nothing to show, a short
  // label here and the explanation in the notice below.
  where.textContent =
    snapshot.status === 'ok' || snapshot.status === 'stopped' ? snapshot.message || describeStatus(snapshot) : statusLabel(snapshot);

  const drawable = snapshot.frames.length > 0 || snapshot.heap.length > 0 || snapshot.statics.length > 0;
  const problem = snapshot.status !== 'ok' || (snapshot.stopped && snapshot.stopped.reason !== 'end');
  notice.hidden = !problem;
  notice.className = snapshot.status === 'stopped' ? 'notice warning' : 'notice';
  notice.textContent = problem ? noticeText(snapshot) : '';

  if (drawable) {
    diagram.innerHTML = renderSnapshotSvg(snapshot, { embedStyle: false, caption: false });
    diagram.hidden = false;
  } else {
    diagram.textContent = '';
    diagram.hidden = true;
  }

  // Step controls: the trace's steps; previous/next move one event.
  const hasTrace = snapshot.steps > 0 && drawable;
  stepText.textContent = hasTrace ? `step ${snapshot.step + 1} of ${snapshot.steps}` : '';
  prev.disabled = !hasTrace || snapshot.step <= 0;
  next.disabled = !hasTrace || snapshot.step >= snapshot.steps - 1;

  // Visit chooser, for a line run several times.
  visitBox.hidden = snapshot.visits <= 1;
  visitPrev.disabled = snapshot.visit <= 1;
  visitNext.disabled = snapshot.visit >= snapshot.visits;
  visitSelect.textContent = '';
  const n = Math.min(snapshot.visits, MAX_VISIT_OPTIONS);
  for (let i = 1; i <= n; i++) {
    const o = document.createElement('option');
    o.value = String(i);
    o.textContent = `visit ${i} of ${snapshot.visits}`;
    o.selected = i === snapshot.visit;
    visitSelect.appendChild(o);
  }
  if (snapshot.visit > n) {
    const o = document.createElement('option');
    o.value = String(snapshot.visit);
    o.textContent = `visit ${snapshot.visit} of ${snapshot.visits}`;
    o.selected = true;
    visitSelect.appendChild(o);
  }

  events.textContent = '';
  for (const e of snapshot.events) {
    const li = document.createElement('li');
    li.className = `event ${e.kind}`;
    li.textContent = e.text;
    events.appendChild(li);
  }
  unknowns.textContent = '';
  for (const u of snapshot.unknowns ?? []) {
    const li = document.createElement('li');
    li.textContent = u;
    unknowns.appendChild(li);
  }
  details.hidden = snapshot.events.length === 0 && (snapshot.unknowns ?? []).length === 0;
  exportButton.disabled = !drawable;
}

function describeStatus(s: Snapshot): string {
  switch (s.status) {
    case 'no-function':
      return 'The cursor is not inside a function.';
    case 'not-reached':
      return 'The simulation never reaches this line.';
    case 'stopped':
      return 'The simulation stopped before this line.';
    case 'unavailable':
      return 'Nothing to show for this document.';
    default:
      return '';
  }
}

function statusLabel(s: Snapshot): string {
  switch (s.status) {
    case 'no-function':
      return 'No function here';
    case 'not-reached':
      return 'Not reached';
    case 'stopped':
      return 'Stopped';
    case 'unavailable':
      return 'Nothing to show';
    default:
      return '';
  }
}

function noticeText(s: Snapshot): string {
  if (s.stopped && s.stopped.reason !== 'end') return s.stopped.message || describeStatus(s);
  return s.message || describeStatus(s);
}

// --- input

function post(m: FromWebview): void {
  vscode.postMessage(m);
}

prev.addEventListener('click', () => post({ type: 'step', delta: -1 }));
next.addEventListener('click', () => post({ type: 'step', delta: 1 }));
visitPrev.addEventListener('click', () => current && post({ type: 'visit', visit: Math.max(1, current.visit - 1) }));
visitNext.addEventListener('click', () => current && post({ type: 'visit', visit: Math.min(current.visits, current.visit + 1) }));
visitSelect.addEventListener('change', () => {
  const v = Number(visitSelect.value);
  if (Number.isInteger(v) && v >= 1) post({ type: 'visit', visit: v });
});
exportButton.addEventListener('click', () => post({ type: 'exportSvg' }));

// ← / → step through events from anywhere in the panel except the visit chooser.
document.addEventListener('keydown', (e) => {
  if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
  const t = e.target;
  if (t instanceof HTMLSelectElement || t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement) return;
  if (e.key === 'ArrowLeft' && !prev.disabled) post({ type: 'step', delta: -1 });
  else if (e.key === 'ArrowRight' && !next.disabled) post({ type: 'step', delta: 1 });
  else return;
  e.preventDefault();
});

/** The source range that created the element with this protocol id, if the snapshot knows it. */
function rangeOf(s: Snapshot, id: string): Range | undefined {
  for (const f of s.frames) {
    if (f.id === id) return f.callSite;
    for (const sl of f.slots) if (sl.id === id) return sl.declRange;
  }
  for (const b of s.heap) if (b.id === id) return b.allocatedAt;
  for (const st of s.statics) if (st.id === id) return st.range;
  return undefined;
}

function revealFrom(target: EventTarget | null): void {
  if (!current || !(target instanceof Element)) return;
  const hit = target.closest('.slot[data-id], .heap-block[data-id], .static-item[data-id], .frame[data-id]');
  const id = hit?.getAttribute('data-id');
  if (!id) return;
  const range = rangeOf(current, id);
  if (range) post({ type: 'reveal', id, range });
}

diagram.addEventListener('click', (e) => revealFrom(e.target));

// Hovering (or focusing) a slot, block or static highlights the arrows that leave or reach it.
function highlightFrom(target: EventTarget | null): void {
  for (const a of diagram.querySelectorAll('g.arrow.hot')) a.classList.remove('hot');
  if (!(target instanceof Element)) return;
  const id = target.closest('.slot[data-id], .heap-block[data-id], .static-item[data-id]')?.getAttribute('data-id');
  if (!id) return;
  for (const a of diagram.querySelectorAll('g.arrow')) {
    if (a.getAttribute('data-source') === id || a.getAttribute('data-target') === id) a.classList.add('hot');
  }
}
diagram.addEventListener('mouseover', (e) => highlightFrom(e.target));
diagram.addEventListener('mouseleave', () => highlightFrom(null));
diagram.addEventListener('focusin', (e) => highlightFrom(e.target));
diagram.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' || e.key === ' ') {
    revealFrom(e.target);
    e.preventDefault();
  }
});

window.addEventListener('message', (event: MessageEvent) => {
  const m = event.data as ToWebview | undefined;
  if (!m || typeof m !== 'object') return;
  if (m.type === 'snapshot' && m.snapshot && typeof m.snapshot === 'object') {
    show(m.snapshot);
    vscode.setState({ snapshot: m.snapshot, file: m.file });
  } else if (m.type === 'busy') {
    document.body.classList.add('busy');
  }
});

// --- start: restore the last picture (window reload), then ask for a fresh one.

const saved = vscode.getState();
if (saved?.snapshot) show(saved.snapshot);
else where.textContent = 'Move the cursor in a Rust file to see its memory.';
post({ type: 'ready' });
