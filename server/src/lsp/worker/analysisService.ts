/**
 * What the analysis worker does (`analysisWorker.ts` wires it to `parentPort`): keeps the open
 * documents (text, tree, incremental analyser; `../documents.ts`), schedules their analyses,
 * publishes diagnostics and answers hovers and snapshots. No LSP connection in here: messages
 * in, messages out (`protocol.ts`), so it also runs in-process in tests.
 *
 * Scheduling, as an editor expects:
 * - A change is applied and the tree reparsed at once; the analysis starts `DEBOUNCE_MS` after
 *   the last change, and runs in slices of about `SLICE_MS` (`DocumentAnalyzer.steps`), so that
 *   queries and newer changes are handled between slices.
 * - A newer version abandons the analysis in flight, unless the last publish is older than
 *   `MAX_PUBLISH_INTERVAL_MS`: then the analysis in flight finishes and is published (with its
 *   version) before the newest starts, so continuous typing still publishes regularly.
 * - Hover and snapshot answer from the freshest finished analysis. When it is of an older
 *   version, they answer from it at once if the text around the position is unchanged, and say
 *   so (`outdated`); otherwise they wait for the analysis in flight, at most `QUERY_WAIT_MS`.
 * - The simulation (lengths and capacities in hovers, the panel's memory) is run when a query
 *   needs it. A hover runs it for at most `HOVER_SIMULATION_MS` (a small program's run is
 *   waited for); when it is not finished by then, or the document's last one took longer, the
 *   hover answers without values and says that the simulation is not finished yet, and it runs
 *   in the background once hovers pause for `BACKGROUND_SIMULATION_DELAY_MS`. When the
 *   document's last simulation took less than `HOVER_SIMULATION_MS`, each newly published
 *   analysis of its current version is simulated at once in the background, so that hovers after
 *   an edit look values up instead of waiting. Finding the values in a finished simulation (a replay up to the hovered
 *   step, or a run of a function `main` does not reach) is stopped after `HOVER_VALUES_MS`;
 *   after a lookup that took longer, hovers say they do not look the values up, until a
 *   simulation of the document is fast again (a run of at most `SMALL_RUN_STEPS` steps is
 *   always looked up). Every simulation and replay stops as soon as a newer version is
 *   posted (the shared change counter), and a background one also when a query is posted (the
 *   query counter). (The interpreter looks at these every 4,096 steps: a run shorter than that
 *   always finishes.)
 *
 * Cargo crates: a document inside a Cargo package is analysed with the other files of its crate
 * (`engine/crate.ts` `CrateView`; the open documents' texts win over the disk: `engine/vfs.ts`).
 * A change (or an open or close) of a file re-analyses the other open documents whose crate
 * holds it, reusing what does not depend on it, and publishes their diagnostics again (with
 * their unchanged versions). Files changed on the disk only are seen at the next analysis.
 *
 * Memory: only the freshest finished analysis of each document is kept, and the analyser's
 * units and tree mirror of its last version. node-tree-sitter 0.22 has no call that frees a
 * tree (no `delete()`, unlike web-tree-sitter): a tree's native memory is released by the N-API
 * finalizer of its JS object, which runs on a turn of the event loop after a collection found
 * the object unreachable. V8 does not see that memory, so it would let thousands of old trees
 * pile up between its (rare) full collections (each change also leaves a copy of the text
 * behind), and the process keeps the peak. The worker therefore asks for a full collection
 * (`gc`, when given) after `IDLE_GC_MS` without messages, and at the latest after `GC_EVERY`
 * changes and analyses; the changes of a burst are parsed once (`../documents.ts`).
 */
import { fileURLToPath } from 'node:url';
import type { Position, Range } from 'vscode-languageserver-protocol';
import { DocumentStore, type Document } from '../documents';
import { MAX_TEXT_LENGTH, simulation, SimulationCancelled, type Analysis } from '../../engine/engine';
import { hoverAt } from '../../ide/hover';
import { lifetimeAt, lifetimeHoverLines } from '../../ide/lifetime';
import { inlayHintsIn } from '../../ide/inlayHints';
import { quickFixesAt, type QuickFix } from '../../ide/quickFixes';
import type { Lifetime } from '../../../../shared/protocol';
import { snapshotAt } from '../../ide/snapshot';
import { unanalysableReason } from '../../base/text';
import { CrateView, crateOf } from '../../engine/crate';
import { localizeSnapshot, localizeText } from '../../ide/crateFiles';
import { Vfs } from '../../engine/vfs';
import { emptySnapshot, type Snapshot, type SnapshotParams } from '../../../../shared/protocol';
import type { FromWorker, ToWorker, WorkerHover, WorkerInlayHint } from './protocol';

/** Milliseconds between the last change of a document and the start of its analysis. */
export const DEBOUNCE_MS = 4;
/** While typing continues, a publish at least this often (ms): an analysis older than this is finished, not abandoned. */
export const MAX_PUBLISH_INTERVAL_MS = 150;
/** Work done before the worker looks at its messages again (ms). */
export const SLICE_MS = 8;
/** How long a query waits for the analysis in flight when the finished one cannot answer it (ms). */
export const QUERY_WAIT_MS = 150;
/** How long a hover waits for the simulation (ms); not at all when the document's last one took longer. */
export const HOVER_SIMULATION_MS = 20;
/**
 * How long a hover looks for values in a finished simulation (ms) before it answers without
 * them; after a lookup that took longer, the document's hovers do not look them up (until a
 * simulation of it is fast again), except in a run of at most `SMALL_RUN_STEPS` steps.
 */
export const HOVER_VALUES_MS = 10;
/** A run this short (steps) costs little to replay whatever the clock says (a cold or loaded process): its hovers always look values up. */
export const SMALL_RUN_STEPS = 500;
/** A simulation a hover could not wait for starts in the background after this many ms without a newer hover. */
export const BACKGROUND_SIMULATION_DELAY_MS = 250;
/** A full garbage collection after this many ms without a message, once there was work... */
export const IDLE_GC_MS = 300;
/** ...and at the latest after this many document changes and analyses (see "Memory" in the module comment). */
export const GC_EVERY = 200;

/** The counters shared with the main thread (`protocol.ts` `WorkerData`). */
export interface Signals {
  /** Document changes posted so far. */
  changes(): number;
  /** Queries (hover, snapshot) posted so far. */
  queries(): number;
}

interface DocState {
  /** The freshest finished analysis and its version. */
  done?: { analysis: Analysis; version: number };
  /** The analysis in flight. */
  running?: { version: number; steps: Generator<void, Analysis, void> };
  timer?: ReturnType<typeof setTimeout>;
  /** When the last publish was sent. */
  lastPublish: number;
  /** Queries waiting for a finished analysis of at least `version`. */
  waiters: { version: number; wake: () => void }[];
  /**
   * Duration of the document's last completed simulation (ms), or of a hover's wait for one
   * that was stopped at `HOVER_SIMULATION_MS`; -1 when none ran yet.
   */
  simulationMs: number;
  /** How long the last slow value lookup of a hover took (ms; see `HOVER_VALUES_MS`), -1 when none since the last fast simulation. */
  slowLookupMs: number;
  /** The simulation in the background waits for this timer (`simulateInBackground`). */
  simulationTimer?: ReturnType<typeof setTimeout>;
  /** The document's file path (`file:` URIs only). */
  path?: string;
  /** Its crate, when the file is a module of a Cargo package's crate. */
  crate?: CrateView;
  /** Another file of its crate changed since its last analysis started: analyse it again. */
  depsChanged?: boolean;
}

/** The file path of a `file:` URI, else undefined. */
function filePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export class AnalysisService {
  private readonly store = new DocumentStore();
  private readonly states = new Map<string, DocState>();
  /** The files crates are read from: the open documents over the disk. */
  private readonly vfs = new Vfs();
  private pumping = false;

  constructor(
    private readonly post: (m: FromWorker) => void,
    private readonly signals: Signals,
    /** Sees each analysis start, be abandoned for a newer version, or finish (for tests). */
    private readonly trace?: (event: 'started' | 'abandoned' | 'finished' | 'simulated', uri: string, version: number) => void,
    /** A full garbage collection (see "Memory" in the module comment); none when absent. */
    private readonly gc?: () => void,
  ) {}

  private workSinceGc = 0;
  private idleGc: ReturnType<typeof setTimeout> | undefined;

  /** After a change or an analysis: collect soon when overdue, else once the worker is idle. */
  private collectGarbage(): void {
    if (!this.gc) return;
    this.workSinceGc++;
    if (this.workSinceGc >= GC_EVERY) setImmediate(() => this.collect());
    else this.armIdleGc();
  }

  /** (Re)starts the idle timer of the next collection. */
  private armIdleGc(): void {
    if (this.idleGc) clearTimeout(this.idleGc);
    this.idleGc = setTimeout(() => this.collect(), IDLE_GC_MS);
  }

  private collect(): void {
    if (this.idleGc) clearTimeout(this.idleGc);
    this.idleGc = undefined;
    this.workSinceGc = 0;
    this.gc?.();
  }

  handle(m: ToWorker): void {
    // Not idle: a pending collection waits for the next quiet moment.
    if (this.idleGc) this.armIdleGc();
    try {
      switch (m.kind) {
        case 'open': {
          this.store.open(m.uri, m.languageId, m.version, m.text);
          const st: DocState = { lastPublish: performance.now(), waiters: [], simulationMs: -1, slowLookupMs: -1 };
          this.states.set(m.uri, st);
          this.openInCrate(m.uri, st);
          this.schedule(m.uri, 0);
          return;
        }
        case 'change': {
          const doc = this.store.change(m.uri, m.version, m.changes);
          const st = this.states.get(m.uri);
          if (!doc || !st) return;
          // A newer version: the analysis in flight is abandoned unless publishing is overdue.
          if (st.running && performance.now() - st.lastPublish < MAX_PUBLISH_INTERVAL_MS) {
            this.trace?.('abandoned', m.uri, st.running.version);
            st.running = undefined;
          }
          this.schedule(m.uri, DEBOUNCE_MS);
          this.dependentsChanged(st.path, m.uri);
          this.collectGarbage();
          return;
        }
        case 'close': {
          const st = this.states.get(m.uri);
          if (st?.timer) clearTimeout(st.timer);
          if (st?.simulationTimer) clearTimeout(st.simulationTimer);
          for (const w of st?.waiters ?? []) w.wake();
          this.states.delete(m.uri);
          this.store.close(m.uri);
          if (st?.path) {
            this.vfs.removeOverlay(st.path);
            this.dependentsChanged(st.path, m.uri);
          }
          if (this.gc) this.armIdleGc();
          return;
        }
        case 'hover':
          void this.hover(m.uri, m.position, m.lifetimes ?? false).then((result) => this.post({ kind: 'hover', id: m.id, result }));
          return;
        case 'quickFixes':
          void this.quickFixes(m.uri, m.range).then((r) => this.post({ kind: 'quickFixes', id: m.id, ...r }));
          return;
        case 'inlayHints':
          void this.inlayHints(m.uri, m.range).then((result) => this.post({ kind: 'inlayHints', id: m.id, result }));
          return;
        case 'lifetime':
          void this.lifetime(m.uri, m.position).then((result) => this.post({ kind: 'lifetime', id: m.id, result }));
          return;
        case 'snapshot':
          void this.snapshot(m.params).then((result) => this.post({ kind: 'snapshot', id: m.id, result }));
          return;
      }
    } catch (err) {
      this.log('error', `${m.kind} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }

  // --- crates

  /** Serves the document's text to crate analyses, finds its crate, and re-analyses the open files of its crate. */
  private openInCrate(uri: string, st: DocState): void {
    const p = filePath(uri);
    if (!p) return;
    st.path = p;
    this.vfs.setOverlay(p, () => {
      const d = this.store.get(uri);
      return d && !unanalysableReason(d.text, MAX_TEXT_LENGTH) ? { text: d.text, tree: d.tree } : undefined;
    });
    try {
      const found = crateOf(p, this.vfs);
      if (found) st.crate = new CrateView(this.vfs, found.pkg, found.root, p);
    } catch (err) {
      this.log('error', `the crate of ${uri} could not be read: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.dependentsChanged(p, uri);
  }

  /** The file at `p` changed (or was opened or closed): the other open documents of its crate are analysed again. */
  private dependentsChanged(p: string | undefined, except: string): void {
    if (!p) return;
    for (const [uri, st] of this.states) {
      if (uri === except || !st.crate?.files.includes(p)) continue;
      st.depsChanged = true;
      this.schedule(uri, DEBOUNCE_MS);
    }
  }

  // --- analyses

  private schedule(uri: string, delay: number): void {
    const st = this.states.get(uri);
    if (!st) return;
    if (st.timer) clearTimeout(st.timer);
    st.timer = setTimeout(() => {
      st.timer = undefined;
      this.start(uri);
    }, delay);
  }

  /** Starts the analysis of the current version, unless one is in flight (it restarts after). */
  private start(uri: string): void {
    const st = this.states.get(uri);
    const doc = this.store.get(uri);
    if (!st || !doc || st.running) return;
    if (st.done?.version === doc.version && !st.depsChanged) return;
    st.depsChanged = false;
    const reason = unanalysableReason(doc.text, MAX_TEXT_LENGTH);
    if (reason) {
      this.log('log', `${uri}: ${reason}`);
      this.post({ kind: 'diagnostics', uri, version: doc.version, diagnostics: [], failures: [] });
      st.lastPublish = performance.now();
      return;
    }
    const crate = st.crate ? { crate: st.crate, edition: st.crate.edition } : {};
    st.running = { version: doc.version, steps: doc.analyzer.steps(doc.text, { tree: doc.tree, changed: doc.changed, ...crate }) };
    doc.changed = [];
    this.trace?.('started', uri, doc.version);
    this.pump();
  }

  /** Runs the analyses in flight, a slice at a time, yielding to the message loop between slices. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    const slice = (): void => {
      const deadline = performance.now() + SLICE_MS;
      let busy = false;
      for (const [uri, st] of this.states) {
        if (!st.running) continue;
        busy = true;
        try {
          while (performance.now() < deadline) {
            const r = st.running.steps.next();
            if (r.done) {
              this.commit(uri, st, st.running.version, r.value);
              break;
            }
          }
        } catch (err) {
          st.running = undefined;
          this.log('error', `analysis of ${uri} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        }
        if (performance.now() >= deadline) break;
      }
      if (busy && [...this.states.values()].some((s) => s.running)) setImmediate(slice);
      else this.pumping = false;
    };
    setImmediate(slice);
  }

  private commit(uri: string, st: DocState, version: number, analysis: Analysis): void {
    st.running = undefined;
    this.trace?.('finished', uri, version);
    const doc = this.store.get(uri);
    if (!doc) return;
    const changes = this.signals.changes();
    analysis.cancelled = () => this.signals.changes() !== changes;
    st.done = { analysis, version };
    doc.analysis = doc.version === version ? analysis : undefined;
    this.post({ kind: 'diagnostics', uri, version, diagnostics: analysis.diagnostics, failures: analysis.failures });
    st.lastPublish = performance.now();
    const waiting = st.waiters.filter((w) => w.version <= version);
    st.waiters = st.waiters.filter((w) => w.version > version);
    for (const w of waiting) w.wake();
    if (doc.version !== version || st.depsChanged) this.schedule(uri, 0);
    // The document's last simulation was short: run this version's now, so that the next hover
    // looks its values up instead of waiting for it (a newer change or a query stops it).
    else if (st.simulationMs >= 0 && st.simulationMs < HOVER_SIMULATION_MS) this.simulateInBackground(uri, st, analysis, 0);
    this.collectGarbage();
  }

  // --- queries

  /**
   * The freshest finished analysis that can answer at `pos`: of the current version, or of an
   * earlier one when the text of `pos`'s line is the same in both (`outdated`). Waits for the
   * analysis in flight (at most `QUERY_WAIT_MS`) when neither can.
   */
  private async analysisFor(doc: Document, pos: Position): Promise<{ analysis: Analysis; outdated: boolean } | undefined> {
    const st = this.states.get(doc.uri);
    if (!st || unanalysableReason(doc.text, MAX_TEXT_LENGTH)) return undefined;
    const fresh = (): { analysis: Analysis; outdated: boolean } | undefined =>
      st.done && st.done.version === doc.version ? { analysis: st.done.analysis, outdated: false } : undefined;
    const now = fresh();
    if (now) return now;
    if (st.done && sameLine(st.done.analysis.text, doc.text, pos.line)) return { analysis: st.done.analysis, outdated: true };
    if (!st.running && !st.timer) this.schedule(doc.uri, 0);
    await new Promise<void>((wake) => {
      const timer = setTimeout(wake, QUERY_WAIT_MS);
      st.waiters.push({
        version: doc.version,
        wake: () => {
          clearTimeout(timer);
          wake();
        },
      });
    });
    return fresh();
  }

  /**
   * The quick fixes in `range`, from an analysis of the document's current version only (their
   * edits are positions in that version): waits for it like a query, none when it is not ready.
   */
  private async quickFixes(uri: string, range: Range): Promise<{ version: number | null; result: QuickFix[] }> {
    const doc = this.store.get(uri);
    if (!doc) return { version: null, result: [] };
    const version = doc.version;
    const found = await this.analysisFor(doc, range.start);
    if (!found || found.outdated || doc.version !== version) return { version: null, result: [] };
    return { version, result: quickFixesAt(found.analysis, range) };
  }

  /** The inlay hints in `range`, from an analysis of the current version (none otherwise). */
  private async inlayHints(uri: string, range: Range): Promise<WorkerInlayHint[]> {
    const doc = this.store.get(uri);
    if (!doc) return [];
    const found = await this.analysisFor(doc, range.start);
    if (!found || found.outdated) return [];
    return inlayHintsIn(found.analysis, range);
  }

  /** The lifetime of the binding at `pos` (from an outdated analysis only when the line is unchanged, as hovers). */
  private async lifetime(uri: string, pos: Position): Promise<Lifetime | null> {
    const doc = this.store.get(uri);
    if (!doc) return null;
    const found = await this.analysisFor(doc, pos);
    if (!found || found.outdated) return null;
    return lifetimeAt(found.analysis, pos);
  }

  private async hover(uri: string, pos: Position, lifetimes: boolean): Promise<WorkerHover | null> {
    const doc = this.store.get(uri);
    if (!doc) return null;
    const found = await this.analysisFor(doc, pos);
    const st = this.states.get(uri);
    if (!found || !st) return null;
    const { analysis, outdated } = found;
    // Values (lengths, capacities, what a pointer points to) need the simulation: a small one is
    // waited for, a long one runs in the background (see the module comment).
    if (!analysis.run && st.simulationMs < HOVER_SIMULATION_MS) {
      const t0 = performance.now();
      const { stopped } = this.withDeadline(analysis, HOVER_SIMULATION_MS, () => {
        try {
          simulation(analysis);
        } catch (err) {
          if (!(err instanceof SimulationCancelled)) this.log('error', `simulation failed: ${String(err)}`);
        }
      });
      if (analysis.run) this.simulated(st, performance.now() - t0);
      else if (stopped) st.simulationMs = performance.now() - t0;
    }
    const small = !!analysis.run && analysis.run.steps.length <= SMALL_RUN_STEPS;
    const lookUp = !!analysis.run && (small || st.slowLookupMs < 0);
    const t0 = performance.now();
    const { value: info, stopped } = this.withDeadline(analysis, HOVER_VALUES_MS, () => hoverAt(analysis, pos, { simulate: lookUp }));
    const lookupMs = performance.now() - t0;
    const slow = lookUp && !small && (stopped || lookupMs > HOVER_VALUES_MS);
    if (slow) st.slowLookupMs = lookupMs;
    if (!info) return null;
    const { markdown: base, range } = info;
    let markdown = base;
    if (lifetimes && !outdated) {
      const extra = lifetimeHoverLines(analysis, pos);
      if (extra.length) markdown += `\n${extra.join('\n')}`;
    }
    if (!analysis.run) {
      markdown += '\n\n_Lengths and capacities: the simulation is not finished yet; hover again in a moment._';
      this.simulateInBackground(uri, st, analysis);
    } else if (!lookUp || stopped)
      markdown += `\n\n_Lengths and capacities: not shown here (looking them up in the simulation took ${Math.round(stopped ? lookupMs : st.slowLookupMs)} ms, over the ${HOVER_VALUES_MS} ms a hover takes); the memory panel shows them._`;
    if (outdated) markdown += '\n\n_From the analysis of an earlier version of this file; the newest is not finished yet._';
    if (analysis.crateDiagnostics) markdown = localizeText(markdown);
    return { markdown, range };
  }

  /**
   * Runs `f` with `a`'s simulation and replays stopped after `ms` (they throw
   * `SimulationCancelled`, which the hover's value lookups turn into unknown values). Returns
   * `f`'s value and whether the deadline stopped something.
   */
  private withDeadline<T>(a: Analysis, ms: number, f: () => T): { value: T; stopped: boolean } {
    const base = a.cancelled;
    const deadline = performance.now() + ms;
    let stopped = false;
    a.cancelled = () => !!base?.() || (stopped ||= performance.now() > deadline);
    try {
      return { value: f(), stopped };
    } finally {
      a.cancelled = base;
    }
  }

  private async snapshot(params: SnapshotParams): Promise<Snapshot> {
    const visit = Number.isInteger(params.visit) && params.visit! >= 1 ? params.visit! : 1;
    const doc = this.store.get(params.textDocument.uri);
    if (!doc) return emptySnapshot('unavailable', 'the document is not open', { visit });
    const reason = unanalysableReason(doc.text, MAX_TEXT_LENGTH);
    if (reason) return emptySnapshot('unavailable', reason, { visit });
    const found = await this.analysisFor(doc, params.position);
    const st = this.states.get(doc.uri);
    if (!found || !st) return emptySnapshot('unavailable', 'the analysis of this version is not finished yet; try again', { visit });
    const stepOffset = Number.isInteger(params.stepOffset) ? params.stepOffset! : 0;
    const step = Number.isInteger(params.step) ? params.step! : undefined;
    const snap = this.timedSimulation(st, found.analysis, () => snapshotAt(found.analysis, params.position, visit, stepOffset, { step }));
    if (found.analysis.crateDiagnostics) localizeSnapshot(snap);
    if (found.outdated) {
      snap.outdated = true;
      snap.message = `${snap.message} (from the analysis of an earlier version of this file; the newest is not finished yet)`;
    }
    return snap;
  }

  /** Runs `f`, which may run the analysis's simulation; records how long a simulation took. */
  private timedSimulation<T>(st: DocState, a: Analysis, f: () => T): T {
    const ran = !!a.run;
    const t0 = performance.now();
    const r = f();
    if (!ran && a.run) this.simulated(st, performance.now() - t0);
    return r;
  }

  /**
   * Runs the simulation of `a` after `delay` ms without a newer hover (default
   * `BACKGROUND_SIMULATION_DELAY_MS`); a change or a query posted meanwhile stops it.
   */
  private simulateInBackground(uri: string, st: DocState, a: Analysis, delay = BACKGROUND_SIMULATION_DELAY_MS): void {
    if (a.run) return;
    // After a quiet moment: a query posted while it runs stops it only at the interpreter's next
    // check, so starting one per hover would make each hover of a burst wait for the last.
    if (st.simulationTimer) clearTimeout(st.simulationTimer);
    st.simulationTimer = setTimeout(() => {
      st.simulationTimer = undefined;
      if (a.run || st.done?.analysis !== a) return;
      const base = a.cancelled;
      const queries = this.signals.queries();
      a.cancelled = () => this.signals.queries() !== queries || !!base?.();
      const t0 = performance.now();
      try {
        if (!base?.()) simulation(a);
        if (a.run) this.simulated(st, performance.now() - t0);
      } catch (err) {
        if (!(err instanceof SimulationCancelled)) this.log('error', `simulation failed: ${String(err)}`);
      } finally {
        a.cancelled = base;
        if (a.run) this.trace?.('simulated', uri, st.done?.version ?? -1);
      }
    }, delay);
  }

  /** A simulation of the document took `ms`: when it was fast, hovers may ask it for values again. */
  private simulated(st: DocState, ms: number): void {
    st.simulationMs = ms;
    if (ms < HOVER_SIMULATION_MS) st.slowLookupMs = -1;
  }

  private log(level: 'log' | 'error', message: string): void {
    this.post({ kind: 'log', level, message: `rust-memory: ${message}` });
  }
}

/** Whether line `line` (0-based) has the same text in `a` and `b`. */
function sameLine(a: string, b: string, line: number): boolean {
  const lineOf = (t: string): string | undefined => {
    let start = 0;
    for (let i = 0; i < line; i++) {
      const nl = t.indexOf('\n', start);
      if (nl < 0) return undefined;
      start = nl + 1;
    }
    const end = t.indexOf('\n', start);
    return t.slice(start, end < 0 ? t.length : end);
  };
  const x = lineOf(a);
  return x !== undefined && x === lineOf(b);
}
