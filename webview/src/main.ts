/**
 * The memory panel's controller, running inside the webview (bundled to dist/webview.js as an
 * IIFE). It draws each snapshot the extension posts with the shared renderer
 * (shared/render/svg.ts) at the panel's width, keeps the last one in the webview state (so the
 * panel survives a window reload), and turns the controls into messages for the extension
 * (shared/panelMessages.ts).
 *
 * - Stepping: a slider over the trace with first/previous/next/last buttons and the keyboard
 *   (← → Home End); each posts `goto` with an absolute step. The header says where the picture
 *   is ("before line 6 of `main`"), and which visit of a loop.
 * - View: Learner/Expert (the `rustMemory.panel.detail` setting), fields on demand in the
 *   learner view (click ▸), zoom (fit to width by default, − and +, Ctrl+wheel) and panning
 *   (scrollbars, or drag the background).
 * - The program's output so far, panics in red, output after an error rustc reports marked as
 *   not a real run; the errors of the step (code, message, link to the error index).
 * - Broken code: a `syntax-error` snapshot keeps the last good picture of the same file,
 *   dimmed, and says what does not parse.
 *
 * The page (client/src/panelHtml.ts) holds the skeleton; its CSP allows only our nonce'd script
 * and stylesheets from the extension, so everything here uses `addEventListener` and
 * `textContent`; the only markup inserted is the renderer's SVG, whose texts are escaped.
 */
import type { Range, Snapshot } from '../../shared/protocol';
import type { FromWebview, PanelState, ToWebview } from '../../shared/panelMessages';
import type { DetailSetting } from '../../shared/settings';
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
const MIN_ZOOM = 0.25;
const MAX_ZOOM = 3;

function el<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`memory panel: #${id} missing from the page`);
  return e as T;
}

const where = el<HTMLElement>('where');
const stepText = el<HTMLElement>('step');
const first = el<HTMLButtonElement>('first');
const prev = el<HTMLButtonElement>('prev');
const next = el<HTMLButtonElement>('next');
const last = el<HTMLButtonElement>('last');
const slider = el<HTMLInputElement>('slider');
const visitBox = el<HTMLElement>('visit-controls');
const visitPrev = el<HTMLButtonElement>('visit-prev');
const visitNext = el<HTMLButtonElement>('visit-next');
const visitSelect = el<HTMLSelectElement>('visit-select');
const learnerButton = el<HTMLButtonElement>('learner');
const expertButton = el<HTMLButtonElement>('expert');
const zoomOut = el<HTMLButtonElement>('zoom-out');
const zoomFit = el<HTMLButtonElement>('zoom-fit');
const zoomIn = el<HTMLButtonElement>('zoom-in');
const exportButton = el<HTMLButtonElement>('export');
const notice = el<HTMLElement>('notice');
const errorsBox = el<HTMLElement>('errors');
const diagram = el<HTMLElement>('diagram');
const outputBox = el<HTMLElement>('output-box');
const output = el<HTMLElement>('output');
const details = el<HTMLElement>('details');
const events = el<HTMLOListElement>('events');
const unknowns = el<HTMLUListElement>('unknowns');

// --- state

const saved = vscode.getState();
/** The snapshot the picture shows (the last one with a picture). */
let current: Snapshot | undefined = saved?.snapshot;
let currentFile: string | undefined = saved?.file;
/** The last snapshot received (a `syntax-error` one, or the same as `current`). */
let latest: Snapshot | undefined = saved?.snapshot;
let detail: DetailSetting = saved?.detail ?? 'learner';
const expanded = new Set<string>(saved?.expanded ?? []);
let zoom: 'fit' | number = saved?.zoom ?? 'fit';

function saveState(): void {
  vscode.setState({ snapshot: current, file: currentFile, detail, expanded: [...expanded], zoom });
}

// --- styles: the diagram's CSS is shared with the standalone SVG; CSSOM is allowed by the CSP.

try {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(DIAGRAM_CSS);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
} catch {
  // Very old webview hosts: the diagram still draws, with the browser's default colours.
}

// --- drawing

const drawable = (s: Snapshot | undefined): boolean => !!s && (s.frames.length > 0 || s.heap.length > 0 || s.statics.length > 0);

/** Takes a snapshot from the extension: a new picture, or (broken code) the old one dimmed. */
function receive(snapshot: Snapshot, file: string | undefined): void {
  latest = snapshot;
  const keep = snapshot.status === 'syntax-error' && drawable(current) && (!file || !currentFile || file === currentFile);
  if (!keep) {
    current = snapshot;
    currentFile = file;
  }
  saveState();
  show();
}

function show(): void {
  const s = latest;
  document.body.classList.remove('busy');
  if (!s) {
    where.textContent = 'Move the cursor in a Rust file to see its memory.';
    return;
  }
  const broken = s.status === 'syntax-error';
  const pic = broken && drawable(current) ? current! : s;
  document.body.dataset.status = s.status;
  document.body.classList.toggle('stale', broken && pic !== s);

  // The position in words ("before line 6 of `main`"); when there is nothing to show, a short
  // label here and the explanation in the notice below.
  where.textContent = broken
    ? pic !== s
      ? `${pic.message} (last picture that parsed)`
      : 'The code does not parse'
    : s.status === 'ok' || s.status === 'stopped'
      ? s.message || describeStatus(s)
      : statusLabel(s);

  const problem = s.status !== 'ok' || (s.stopped && s.stopped.reason !== 'end');
  notice.hidden = !problem;
  notice.className = broken ? 'notice syntax' : s.status === 'stopped' ? 'notice warning' : 'notice';
  notice.textContent = problem ? noticeText(s, pic !== s) : '';

  drawPicture(pic);
  showSteps(broken ? undefined : s);
  showErrors(pic);
  showOutput(drawable(pic) ? pic : undefined);
  showEvents(pic);
}

function drawPicture(s: Snapshot): void {
  if (drawable(s)) {
    diagram.hidden = false;
    const width = Math.max(200, diagram.clientWidth - 4);
    diagram.innerHTML = renderSnapshotSvg(s, { embedStyle: false, caption: false, detail, maxWidth: width, expanded: [...expanded] });
    applyZoom();
  } else {
    diagram.textContent = '';
    diagram.hidden = true;
  }
  exportButton.disabled = !drawable(s);
  learnerButton.setAttribute('aria-checked', String(detail === 'learner'));
  expertButton.setAttribute('aria-checked', String(detail === 'expert'));
}

function showSteps(s: Snapshot | undefined): void {
  // Step controls: the trace's steps (the slider), first/previous/next/last.
  const hasTrace = !!s && s.steps > 0 && drawable(s);
  slider.disabled = !hasTrace;
  slider.max = String(hasTrace ? s!.steps - 1 : 0);
  slider.value = String(hasTrace ? s!.step : 0);
  stepText.textContent = hasTrace ? `step ${s!.step + 1} of ${s!.steps}` : '';
  first.disabled = prev.disabled = !hasTrace || s!.step <= 0;
  next.disabled = last.disabled = !hasTrace || s!.step >= s!.steps - 1;

  // Visits, for a line run several times ("visit 2 of 5"); never "visit 1 of 0".
  const visits = s && s.status === 'ok' ? s.visits : 0;
  visitBox.hidden = visits <= 1;
  if (!s || visits <= 1) return;
  visitPrev.disabled = s.visit <= 1;
  visitNext.disabled = s.visit >= visits;
  visitSelect.textContent = '';
  const n = Math.min(visits, MAX_VISIT_OPTIONS);
  for (let i = 1; i <= n; i++) {
    const o = document.createElement('option');
    o.value = String(i);
    o.textContent = `visit ${i} of ${visits}`;
    o.selected = i === s.visit;
    visitSelect.appendChild(o);
  }
  if (s.visit > n) {
    const o = document.createElement('option');
    o.value = String(s.visit);
    o.textContent = `visit ${s.visit} of ${visits}`;
    o.selected = true;
    visitSelect.appendChild(o);
  }
}

/** The errors of the step (code, message, a link to the error index), or that rustc rejects the program. */
function showErrors(s: Snapshot): void {
  errorsBox.textContent = '';
  const errs = s.errors ?? [];
  const here = errs.filter((e) => e.here);
  errorsBox.hidden = errs.length === 0;
  errorsBox.classList.toggle('here', here.length > 0);
  for (const e of here.length ? here : errs.slice(0, 1)) {
    const line = document.createElement('div');
    line.className = 'error-line';
    const head = document.createElement('span');
    head.className = 'error-head';
    if (e.code && e.href) {
      head.append('error[');
      const a = document.createElement('a');
      a.href = e.href;
      a.textContent = e.code;
      a.title = `${e.code} in the Rust compiler error index`;
      head.append(a, ']: ');
    } else head.append(e.code ? `error[${e.code}]: ` : 'error: ');
    line.append(head, e.message);
    const at = document.createElement('button');
    at.type = 'button';
    at.className = 'link';
    at.textContent = `${e.range.start.line + 1}:${e.range.start.character + 1}`;
    at.title = 'Show it in the editor';
    at.addEventListener('click', () => post({ type: 'reveal', id: e.code ?? 'syntax', range: e.range }));
    line.append(' at ', at);
    if (!e.here) {
      const why = document.createElement('div');
      why.className = 'error-why';
      why.textContent =
        e.step === undefined
          ? 'rustc rejects this program; the simulation runs it anyway (it never reaches that line).'
          : e.step <= s.step
            ? 'rustc rejects this program: the picture shows what would happen if it ran anyway.'
            : 'rustc rejects this program: the picture shows what would happen if it ran, up to that line.';
      line.append(why);
    }
    errorsBox.appendChild(line);
  }
}

/** What the program printed up to this step. */
function showOutput(s: Snapshot | undefined): void {
  output.textContent = '';
  outputBox.hidden = !s || s.status === 'syntax-error';
  if (!s) return;
  const chunks = s.output ?? [];
  if (!chunks.length) {
    const none = document.createElement('span');
    none.className = 'nothing';
    none.textContent = 'nothing printed yet';
    output.appendChild(none);
    return;
  }
  let marked = false;
  for (const c of chunks) {
    if (c.notReal && !marked) {
      marked = true;
      const label = document.createElement('span');
      label.className = 'not-real-label';
      label.textContent = '── below: not a real run (rustc rejects the program) ──\n';
      output.appendChild(label);
    }
    const span = document.createElement('span');
    span.className = [c.stream === 'panic' ? 'panic' : 'stdout', c.notReal ? 'not-real' : c.unknown ? 'unsure' : ''].join(' ').trim();
    span.textContent = c.text;
    span.title =
      `printed at step ${c.step + 1}` +
      (c.notReal
        ? ', after an error rustc reports'
        : c.unknown
          ? ': unsure, it shows a value the simulation does not know or follows a branch it guessed (see "Not known")'
          : '');
    output.appendChild(span);
  }
}

function showEvents(s: Snapshot): void {
  events.textContent = '';
  for (const e of s.events) {
    const li = document.createElement('li');
    li.className = `event ${e.kind}`;
    li.textContent = e.text;
    events.appendChild(li);
  }
  unknowns.textContent = '';
  for (const u of s.unknowns ?? []) {
    const li = document.createElement('li');
    li.textContent = u;
    unknowns.appendChild(li);
  }
  details.hidden = s.events.length === 0 && (s.unknowns ?? []).length === 0;
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
    case 'syntax-error':
      return 'The code here does not parse.';
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

function noticeText(s: Snapshot, kept: boolean): string {
  if (s.status === 'syntax-error')
    return `The code does not parse: ${s.syntax?.message ?? s.message}.${kept ? ' The picture is the last one that did.' : ''}`;
  if (s.stopped && s.stopped.reason !== 'end') return s.stopped.message || describeStatus(s);
  return s.message || describeStatus(s);
}

// --- zoom

/** Scales the drawn SVG: `fit` shrinks it to the panel's width (never enlarges), else a factor. */
function applyZoom(): void {
  const svg = diagram.querySelector('svg');
  if (!svg) return;
  const w = Number(svg.getAttribute('data-width') ?? svg.getAttribute('width'));
  const h = Number(svg.getAttribute('data-height') ?? svg.getAttribute('height'));
  svg.setAttribute('data-width', String(w));
  svg.setAttribute('data-height', String(h));
  const avail = Math.max(100, diagram.clientWidth - 4);
  const scale = zoom === 'fit' ? Math.min(1, avail / w) : zoom;
  svg.setAttribute('width', String(Math.round(w * scale)));
  svg.setAttribute('height', String(Math.round(h * scale)));
  diagram.dataset.zoom = zoom === 'fit' ? 'fit' : String(zoom);
  zoomFit.setAttribute('aria-pressed', String(zoom === 'fit'));
  zoomFit.textContent = zoom === 'fit' ? 'Fit' : `${Math.round(scale * 100)}%`;
}

function currentScale(): number {
  const svg = diagram.querySelector('svg');
  if (!svg) return 1;
  return Number(svg.getAttribute('width')) / Number(svg.getAttribute('data-width') ?? svg.getAttribute('width'));
}

function setZoom(z: 'fit' | number): void {
  zoom = z === 'fit' ? 'fit' : Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, Math.round(z * 100) / 100));
  applyZoom();
  saveState();
}

zoomIn.addEventListener('click', () => setZoom(currentScale() * 1.25));
zoomOut.addEventListener('click', () => setZoom(currentScale() / 1.25));
zoomFit.addEventListener('click', () => setZoom('fit'));
diagram.addEventListener(
  'wheel',
  (e) => {
    if (!e.ctrlKey) return;
    e.preventDefault();
    setZoom(currentScale() * (e.deltaY < 0 ? 1.1 : 1 / 1.1));
  },
  { passive: false },
);

// Drag the background to pan (the scrollbars do the same).
let drag: { x: number; y: number; left: number; top: number } | undefined;
diagram.addEventListener('pointerdown', (e) => {
  const t = e.target as Element;
  if (e.button !== 0 || t.closest('.slot, .heap-block, .static-item, [data-expand]')) return;
  drag = { x: e.clientX, y: e.clientY, left: diagram.scrollLeft, top: diagram.scrollTop };
  diagram.classList.add('panning');
});
window.addEventListener('pointermove', (e) => {
  if (!drag) return;
  diagram.scrollLeft = drag.left - (e.clientX - drag.x);
  diagram.scrollTop = drag.top - (e.clientY - drag.y);
});
window.addEventListener('pointerup', () => {
  drag = undefined;
  diagram.classList.remove('panning');
});

// Redraw when the panel's width changes: the layout (side by side or one column) follows it.
let lastWidth = 0;
new ResizeObserver(() => {
  const w = diagram.clientWidth;
  if (Math.abs(w - lastWidth) < 8 || !current) return;
  lastWidth = w;
  if (!diagram.hidden) drawPicture(latest?.status === 'syntax-error' && drawable(current) ? current : (latest ?? current));
}).observe(document.body);

// --- input

function post(m: FromWebview): void {
  vscode.postMessage(m);
}

/** Asks for step `k` of the trace shown (clamped to it). */
function goto(k: number): void {
  const s = latest?.status === 'syntax-error' ? undefined : latest;
  if (!s || s.steps <= 0) return;
  const step = Math.max(0, Math.min(s.steps - 1, k));
  if (step === s.step) return;
  post({ type: 'goto', step });
}

first.addEventListener('click', () => goto(0));
prev.addEventListener('click', () => latest && goto(latest.step - 1));
next.addEventListener('click', () => latest && goto(latest.step + 1));
last.addEventListener('click', () => latest && goto(latest.steps - 1));
slider.addEventListener('input', () => goto(Number(slider.value)));
visitPrev.addEventListener('click', () => latest && post({ type: 'visit', visit: Math.max(1, latest.visit - 1) }));
visitNext.addEventListener('click', () => latest && post({ type: 'visit', visit: Math.min(latest.visits, latest.visit + 1) }));
visitSelect.addEventListener('change', () => {
  const v = Number(visitSelect.value);
  if (Number.isInteger(v) && v >= 1) post({ type: 'visit', visit: v });
});

function setDetail(d: DetailSetting, tell: boolean): void {
  if (d !== 'learner' && d !== 'expert') return;
  const changed = d !== detail;
  detail = d;
  saveState();
  if (changed && current) drawPicture(latest?.status === 'syntax-error' && drawable(current) ? current : (latest ?? current));
  learnerButton.setAttribute('aria-checked', String(detail === 'learner'));
  expertButton.setAttribute('aria-checked', String(detail === 'expert'));
  if (tell && changed) post({ type: 'detail', detail: d });
}
learnerButton.addEventListener('click', () => setDetail('learner', true));
expertButton.addEventListener('click', () => setDetail('expert', true));
exportButton.addEventListener('click', () => post({ type: 'exportSvg', detail, expanded: [...expanded] }));

// ← / → step, Home / End go to the first / last step, + / - / 0 zoom; not while typing in a control.
document.addEventListener('keydown', (e) => {
  if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
  const t = e.target;
  if (t instanceof HTMLSelectElement || t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement) return;
  if (!latest) return;
  if (e.key === 'ArrowLeft' && !prev.disabled) goto(latest.step - 1);
  else if (e.key === 'ArrowRight' && !next.disabled) goto(latest.step + 1);
  else if (e.key === 'Home' && !first.disabled) goto(0);
  else if (e.key === 'End' && !last.disabled) goto(latest.steps - 1);
  else if (e.key === '+' || e.key === '=') setZoom(currentScale() * 1.25);
  else if (e.key === '-') setZoom(currentScale() / 1.25);
  else if (e.key === '0') setZoom('fit');
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

/** A click on ▸/▾ opens or closes a slot's fields; elsewhere on a slot or block, reveals its code. */
function activate(target: EventTarget | null): void {
  if (!current || !(target instanceof Element)) return;
  const toggle = target.closest('[data-expand]')?.getAttribute('data-expand');
  if (toggle) {
    if (expanded.has(toggle)) expanded.delete(toggle);
    else expanded.add(toggle);
    saveState();
    drawPicture(current);
    return;
  }
  const hit = target.closest('.slot[data-id], .heap-block[data-id], .static-item[data-id], .frame[data-id]');
  const id = hit?.getAttribute('data-id');
  if (!id) return;
  const range = rangeOf(current, id);
  if (range) post({ type: 'reveal', id, range });
}

diagram.addEventListener('click', (e) => activate(e.target));

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
    activate(e.target);
    e.preventDefault();
  }
});

window.addEventListener('message', (event: MessageEvent) => {
  const m = event.data as ToWebview | undefined;
  if (!m || typeof m !== 'object') return;
  if (m.type === 'snapshot' && m.snapshot && typeof m.snapshot === 'object') receive(m.snapshot, m.file);
  else if (m.type === 'busy') document.body.classList.add('busy');
  else if (m.type === 'settings') setDetail(m.detail, false);
});

// --- start: restore the last picture (window reload), then ask for a fresh one.

if (saved?.snapshot) show();
else where.textContent = 'Move the cursor in a Rust file to see its memory.';
post({ type: 'ready' });
