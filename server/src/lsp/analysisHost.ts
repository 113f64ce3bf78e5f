/**
 * The main thread's side of the analysis worker (`worker/analysisWorker.ts`): the language
 * server's main loop only speaks LSP; the documents' analyses run in the worker, so a long
 * analysis never delays a message. This class starts the worker, forwards document changes and
 * queries to it (`worker/protocol.ts`), and hands its diagnostics to the LSP features.
 *
 * Every query has an answer within `QUERY_TIMEOUT_MS` (the fallback when the worker is busy: no
 * hover, an `unavailable` snapshot saying why). A worker that crashes, or leaves a query
 * unanswered for `STUCK_MS`, is replaced by a new one, which gets the open documents again (at
 * most `MAX_RESTARTS` times). The texts are kept here for that, with the same edit function the
 * worker uses (`textEdits.ts`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Position, Range } from 'vscode-languageserver-protocol';
import type { EngineDiagnostic } from '../base/diagnostic';
import { emptySnapshot, type Lifetime, type Snapshot, type SnapshotParams } from '../../../shared/protocol';
import { applyChange, type ContentChange } from './textEdits';
import { fullCollection } from './gc';
import {
  CHANGES,
  QUERIES,
  type FromWorker,
  type ToWorker,
  type WorkerData,
  type WorkerHover,
  type WorkerInlayHint,
  type WorkerQuickFix,
} from './worker/protocol';

/** A query not answered within this many ms gets its fallback answer. */
export const QUERY_TIMEOUT_MS = 2_000;
/** A query not answered within this many ms means the worker is stuck: it is replaced. */
export const STUCK_MS = 30_000;
/** Replacements of the worker before the host gives up (the queries then get their fallbacks). */
export const MAX_RESTARTS = 5;
/**
 * The worker's young generation (MB). V8's default (3 × 16 MB semi-spaces) is mostly resident
 * memory; a smaller one keeps the server's RSS lower (8 rather than 16: about 10 MB less with
 * the 6,000-line file open, `npm run bench:lsp`) at no measurable cost to the analyses.
 */
const YOUNG_GENERATION_MB = 8;
/**
 * A full collection of this thread's heap after this many ms without a document change (its
 * young generation otherwise keeps the garbage of a burst of messages; `gc.ts`).
 */
const IDLE_GC_MS = 1_000;
/** Document changes kept unapplied on this thread before they are applied to its copy of the text. */
const PENDING_CHANGES = 500;

/** Diagnostics of one version of a document, as the worker published them. */
export interface PublishedDiagnostics {
  uri: string;
  version: number;
  diagnostics: EngineDiagnostic[];
  failures: { function: string; message: string }[];
}

interface Pending {
  resolve: (v: unknown) => void;
  fallback: () => unknown;
  sent: number;
  timer: ReturnType<typeof setTimeout>;
}

/** The worker script: beside this file in the bundle (`dist/`), or in `worker/` when compiled by tsc. */
function workerScript(): string {
  const bundled = path.join(__dirname, 'analysisWorker.js');
  return fs.existsSync(bundled) ? bundled : path.join(__dirname, 'worker', 'analysisWorker.js');
}

export class AnalysisHost {
  private worker: Worker | undefined;
  private readonly signals = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  /** Open documents: the text as of `pending` not yet applied (see `change`). */
  private readonly docs = new Map<string, { languageId: string; version: number; text: string; pending: ContentChange[] }>();
  private readonly pending = new Map<number, Pending>();
  private readonly listeners: ((d: PublishedDiagnostics) => void)[] = [];
  private nextId = 1;
  private restarts = 0;
  private disposed = false;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private readonly gc = fullCollection();
  private idleGc: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly log: (level: 'log' | 'error', message: string) => void,
    private readonly script = workerScript(),
  ) {
    this.startWorker();
  }

  /** Called for each publish of the worker (the listener applies the settings and sends it). */
  onDiagnostics(listener: (d: PublishedDiagnostics) => void): void {
    this.listeners.push(listener);
  }

  // --- documents

  open(uri: string, languageId: string, version: number, text: string): void {
    this.docs.set(uri, { languageId, version, text, pending: [] });
    Atomics.add(this.signals, CHANGES, 1);
    this.send({ kind: 'open', uri, languageId, version, text });
  }

  change(uri: string, version: number, changes: ContentChange[]): void {
    const doc = this.docs.get(uri);
    if (!doc) return;
    // The text is only needed to restart a worker: changes are applied in batches, not one
    // string copy of a large file per keystroke.
    doc.pending.push(...changes);
    if (doc.pending.length >= PENDING_CHANGES) this.flush(doc);
    doc.version = version;
    Atomics.add(this.signals, CHANGES, 1);
    this.send({ kind: 'change', uri, version, changes });
    this.collectWhenIdle();
  }

  /** (Re)arms the collection of this thread's heap once changes stop for `IDLE_GC_MS`. */
  private collectWhenIdle(): void {
    if (!this.gc || this.disposed) return;
    if (this.idleGc) clearTimeout(this.idleGc);
    this.idleGc = setTimeout(() => {
      this.idleGc = undefined;
      this.gc?.();
    }, IDLE_GC_MS);
    this.idleGc.unref();
  }

  close(uri: string): void {
    if (!this.docs.delete(uri)) return;
    Atomics.add(this.signals, CHANGES, 1);
    this.send({ kind: 'close', uri });
  }

  isOpen(uri: string): boolean {
    return this.docs.has(uri);
  }

  private flush(doc: { text: string; pending: ContentChange[] }): void {
    for (const c of doc.pending) doc.text = 'range' in c && c.range ? applyChange(doc.text, c) : c.text;
    doc.pending = [];
  }

  // --- queries

  hover(uri: string, position: Position, lifetimes = false): Promise<WorkerHover | null> {
    return this.query(
      (id) => ({ kind: 'hover', id, uri, position, lifetimes }),
      () => null,
    );
  }

  /** The quick fixes of the diagnostics in `range` and the version their edits apply to (none: null). */
  quickFixes(uri: string, range: Range): Promise<{ version: number | null; result: WorkerQuickFix[] }> {
    return this.query(
      (id) => ({ kind: 'quickFixes', id, uri, range }),
      () => ({ version: null, result: [] }),
    );
  }

  inlayHints(uri: string, range: Range): Promise<WorkerInlayHint[]> {
    return this.query(
      (id) => ({ kind: 'inlayHints', id, uri, range }),
      () => [],
    );
  }

  lifetime(uri: string, position: Position): Promise<Lifetime | null> {
    return this.query(
      (id) => ({ kind: 'lifetime', id, uri, position }),
      () => null,
    );
  }

  snapshot(params: SnapshotParams): Promise<Snapshot> {
    const visit = Number.isInteger(params.visit) && params.visit! >= 1 ? params.visit! : 1;
    return this.query(
      (id) => ({ kind: 'snapshot', id, params }),
      () =>
        emptySnapshot('unavailable', `stopped: took longer than ${QUERY_TIMEOUT_MS} ms (the analysis goes on; try again in a moment)`, {
          visit,
        }),
    );
  }

  private query<T>(message: (id: number) => ToWorker, fallback: () => T): Promise<T> {
    if (!this.worker) return Promise.resolve(fallback());
    const id = this.nextId++;
    Atomics.add(this.signals, QUERIES, 1);
    return new Promise<T>((resolve) => {
      const timer = setTimeout(() => {
        // Answered late or never: the fallback now; a late answer is dropped.
        const p = this.pending.get(id);
        if (p) p.resolve(p.fallback());
        if (p) p.resolve = () => undefined;
      }, QUERY_TIMEOUT_MS);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, fallback, sent: Date.now(), timer });
      this.send(message(id));
    });
  }

  dispose(): void {
    this.disposed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    if (this.idleGc) clearTimeout(this.idleGc);
    void this.worker?.terminate();
    this.worker = undefined;
    this.settleAll();
  }

  // --- the worker

  private send(m: ToWorker): void {
    this.worker?.postMessage(m);
  }

  private startWorker(): void {
    const data: WorkerData = { signals: this.signals.buffer as SharedArrayBuffer };
    const w = new Worker(this.script, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    this.worker = w;
    w.on('message', (m: FromWorker) => this.receive(m));
    w.on('error', (err) => {
      this.log('error', `rust-memory: the analysis worker failed: ${err.stack ?? err.message}`);
      this.replace(w);
    });
    w.on('exit', (code) => {
      if (this.worker === w && !this.disposed) {
        this.log('error', `rust-memory: the analysis worker exited (code ${code})`);
        this.replace(w);
      }
    });
    for (const [uri, d] of this.docs) {
      this.flush(d);
      this.send({ kind: 'open', uri, languageId: d.languageId, version: d.version, text: d.text });
    }
    this.watchdog ??= setInterval(() => this.checkStuck(), 1_000);
    this.watchdog.unref();
  }

  private checkStuck(): void {
    const now = Date.now();
    for (const p of this.pending.values()) {
      if (now - p.sent > STUCK_MS && this.worker) {
        this.log('error', `rust-memory: the analysis worker has not answered for ${STUCK_MS} ms; starting a new one`);
        this.replace(this.worker);
        return;
      }
    }
  }

  /** Replaces a failed or stuck worker: its queries get their fallbacks; the documents go to the new one. */
  private replace(w: Worker): void {
    if (this.worker !== w || this.disposed) return;
    this.worker = undefined;
    void w.terminate();
    this.settleAll();
    if (this.restarts >= MAX_RESTARTS) {
      this.log('error', `rust-memory: the analysis worker failed ${MAX_RESTARTS + 1} times; no more analyses until the server restarts`);
      return;
    }
    this.restarts++;
    this.startWorker();
  }

  private settleAll(): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve(p.fallback());
      this.pending.delete(id);
    }
  }

  private receive(m: FromWorker): void {
    switch (m.kind) {
      case 'diagnostics':
        if (!this.docs.has(m.uri)) return;
        for (const l of this.listeners) l(m);
        return;
      case 'hover':
      case 'snapshot':
      case 'lifetime':
      case 'inlayHints':
      case 'quickFixes': {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        clearTimeout(p.timer);
        p.resolve(m.kind === 'quickFixes' ? { version: m.version, result: m.result } : m.result);
        return;
      }
      case 'log':
        this.log(m.level, m.message);
        return;
    }
  }
}
