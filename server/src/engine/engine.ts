/**
 * The engine's API: text (or a tree-sitter tree) in, an `Analysis` out. No LSP in here: the
 * queries on an analysis (hover, snapshot) are in `ide/`, and the language server (`lsp/`) and
 * the CLI (`cli/`) are thin users of both.
 *
 *   text ──tree-sitter──▶ CST ──lower──▶ HIR ──infer──▶ typed HIR ──build──▶ MIR
 *        ──▶ borrowck (diagnostics) / interp (trace, run lazily) / layout (sizes)
 *
 * Incremental by item (rustc's and rust-analyzer's query-per-item designs, much smaller): a
 * `DocumentAnalyzer` keeps, for each *unit* of the last analysis (a fn with a body, with its
 * closures and the items nested in it; `syntax/lower.ts` `BodyUnit`), its HIR, types, MIR,
 * borrow-check diagnostics and dependencies. On the next version every item's signature is
 * lowered again (cheap), and a unit is reused when
 *   - its text (with its attributes and its impl's/trait's header) is unchanged,
 *   - it starts at the same column (lines above it may have been added or removed: its
 *     positions are then moved by whole lines, lazily: `shift.ts`),
 *   - no signature it depends on changed: the names it mentions, and the ADTs in its types,
 *     do not include the name of an item whose signature record changed (`ItemRecord`),
 *   - and no change has a file-wide effect (a glob `use`, an `impl` inside a body).
 * Everything else is lowered, typed, built and checked again. `analyze(text)` is the same
 * pipeline with nothing to reuse, so an incremental result equals a from-scratch one (tested).
 *
 * Positions are LSP's (0-based line, UTF-16 column). Every entry point is total: it never
 * throws for any input; a failure inside one function costs only that function's results and
 * is reported in `Analysis.failures`.
 */
import type Parser from 'tree-sitter';
import type { EngineDiagnostic } from '../base/diagnostic';
import { simulationOffReason, type ChangedRange } from '../base/text';
import { bodyTooLargeReason } from '../mir/visit';
import { spanContains, type Span } from '../base/span';
import { parseRust } from '../syntax/parser';
import { syntaxErrors } from '../syntax/errors';
import { MirrorCache } from '../syntax/cst';
import { FileLowering, identifiers, type BodyUnit, type IdCounter, type ItemRecord, type UnitHir } from '../syntax/lower';
import { inferFn, type FileTypeck, type TypeckResults } from '../hir/infer';
import type { FileHir, FnDef } from '../hir/hir';
import type { Ty } from '../hir/ty';
import { buildFnBodies, type CaptureInfo, type MirProgram } from '../mir/build';
import type { Body } from '../mir/mir';
import { BodyBorrowck, BORROWCK_CODES } from '../borrowck';
import { runProgram, type Run } from '../interp';
import { shiftLines, shiftedCopy } from './shift';
import { CRATE_LINE_STRIDE, splitDiagnostics, type CrateLayout } from './crate';

export type { EngineDiagnostic } from '../base/diagnostic';
export { SimulationCancelled } from '../interp';

/** Files larger than this (UTF-16 code units) are not analysed; the message says so. */
export const MAX_TEXT_LENGTH = 8 * 1024 * 1024;

/** rustc error codes the engine reports today (fixtures with other codes are not compared). */
export const IMPLEMENTED_CODES: readonly string[] = BORROWCK_CODES;

/** A Rust edition; it changes closure captures (2021) and tail-expression temporaries (2024). */
import type { Edition } from '../borrowck';
export type { Edition };
export type { ChangedRange } from '../base/text';

export interface AnalyzeOptions {
  /** The crate's edition; 2021 when absent (Cargo's default for new crates). */
  edition?: Edition;
  /** A tree for exactly this text (from the document store); parsed here when absent. */
  tree?: Parser.Tree;
  /**
   * Where the text changed since the analyser's last analysis (tree-sitter's changed ranges and
   * the edited ranges, in the new text). Units touching them are analysed again without
   * comparing their text; the others are compared with their last text. Absent: compare all.
   */
  changed?: readonly ChangedRange[];
  /** Upper bound on interpreter steps for the whole trace. Default 100 000. */
  stepBudget?: number;
  /**
   * The text is a file of a crate (`crate.ts` `CrateView`): analysed with the other files of the
   * crate (their items, signatures and bodies), which sit at rows from `CRATE_LINE_STRIDE` on.
   * Give the same layout object for every version of the document.
   */
  crate?: CrateLayout;
}

/** Milliseconds spent in each stage, for the benchmark. */
export interface Timings {
  parse: number;
  lower: number;
  mir: number;
  borrowck: number;
  interp: number;
}

/** What an analysis reused: units are fns with bodies (and const initializers). */
export interface AnalysisStats {
  units: number;
  /** Keys of the units lowered, typed and checked again (`a::main`), in order. */
  analysed: string[];
  /** Units reused as they were, and how many of them moved by whole lines. */
  reused: number;
  moved: number;
  /** Units touching the changed ranges. */
  dirty: number;
  /** Everything was analysed again (first analysis, or a change with a file-wide effect). */
  full: boolean;
}

/**
 * The result of analysing one file. Its stages' results are read by the queries in `ide/`; the
 * simulation is run on the first query that needs it (`simulation`).
 */
export interface Analysis {
  text: string;
  diagnostics: EngineDiagnostic[];
  /** Functions whose analysis failed, with why (the rest of the file is still analysed). */
  failures: { function: string; message: string }[];
  timings: Timings;
  tree: Parser.Tree;
  readonly file: FileHir;
  readonly typeck: FileTypeck;
  readonly mir: MirProgram;
  /**
   * The borrow check of each MIR body, by body name (`a::main`, `main::{closure#0}`): its loans
   * and move states serve hover too. Made on first use for bodies reused from an earlier version.
   */
  readonly borrowcks: { get(body: string): BodyBorrowck | undefined };
  /** Upper bound on interpreter steps (see `AnalyzeOptions.stepBudget`). */
  stepBudget: number;
  edition: Edition;
  /** The simulation, once run (see `simulation`). */
  run?: Run;
  /**
   * Asked by the simulation every few thousand steps: true abandons it (`SimulationCancelled`
   * is thrown, nothing is kept). Set by the language server's worker: a newer version arrived.
   */
  cancelled?: () => boolean;
  stats: AnalysisStats;
  /**
   * With `AnalyzeOptions.crate`: the diagnostics of the crate's other files, at their rows in the
   * layout (`CrateView.fileAtLine`); only when the layout checks all files, else empty.
   */
  crateDiagnostics?: EngineDiagnostic[];
}

/**
 * The functions of an analysis that are not borrow-checked or simulated live because they are too
 * large (`MAX_LIVE_BODY_SIZE`), with why, in the file's order: what `check` notes, since no
 * diagnostic can come from them.
 */
export function notCheckedLive(a: Analysis): { function: string; reason: string }[] {
  const out: { function: string; reason: string; line: number }[] = [];
  for (const [name, body] of a.mir.bodies) {
    const reason = bodyTooLargeReason(body);
    if (reason) out.push({ function: name, reason, line: body.span.start.line });
  }
  return out.sort((x, y) => x.line - y.line).map(({ function: f, reason }) => ({ function: f, reason }));
}

/** Analyses one file from scratch. Total: never throws; a failing stage costs only what depends on it. */
export function analyze(text: string, opts: AnalyzeOptions = {}): Analysis {
  return new DocumentAnalyzer().analyze(text, opts);
}

/**
 * The simulation of the whole program (from `main`, or from the first body when there is no
 * `main`; functions `main` does not reach are run alone, on demand), run once and kept on the
 * analysis. Its time is `timings.interp`. Throws `SimulationCancelled` when `a.cancelled` says
 * so (then nothing is kept and a later call runs it again); the replays of the run (`replayTo`,
 * by hover and snapshot queries) ask `a.cancelled` as it is when they run.
 */
export function simulation(a: Analysis): Run {
  if (!a.run) {
    const t0 = performance.now();
    const bodies = a.mir.bodies;
    const entry = bodies.has('main') ? 'main' : ([...bodies.keys()][0] ?? 'main');
    a.run = runProgram({
      file: a.file,
      bodies,
      entry,
      stepBudget: a.stepBudget,
      symbolic: entry !== 'main',
      // Asked at the time of each check, not captured: the run's input also serves its later
      // replays (hover values, snapshots), which must see the analysis's cancellation as it is then.
      cancelled: () => !!a.cancelled?.(),
      off: simulationOffReason(a.text),
    });
    a.timings.interp = performance.now() - t0;
  }
  return a.run;
}

// --- units

/** What is kept of one analysed unit between versions. */
interface UnitResult {
  /** The unit's key, context and text: reused only when equal. */
  fingerprint: string;
  /** Column of the unit's first character. */
  column: number;
  /** The line the positions in its HIR, MIR and diagnostics currently encode. */
  line: number;
  hir: UnitHir;
  typeck: [FnDef, TypeckResults][];
  bodies: [string, Body][];
  localMaps: [string, Map<number, number>][];
  closures: [number, { name: string; captures: CaptureInfo[] }][];
  diagnostics: EngineDiagnostic[];
  failures: { function: string; message: string }[];
  /**
   * Names whose signature change invalidates the unit: identifiers it mentions, ADTs in its
   * types. Computed the first time a later version has a changed signature (`depsOf`).
   */
  deps?: Set<string>;
  /** Its text declares an `impl` (nested impls change method resolution file-wide). */
  declaresImpl: boolean;
}

/** A unit of this analysis: its result (new or reused) and the line its positions must move to. */
interface Placed {
  result: UnitResult;
  line: number;
}

function fingerprintOf(u: BodyUnit): string {
  return `${u.key}\u0000${u.context}\u0000${u.node.text}`;
}

/** Whether a unit's body may declare an `impl` (a nested impl changes method lookup file-wide). */
function mayDeclareImpl(u: BodyUnit): boolean {
  const body = u.node.childForFieldName('body') ?? u.node.childForFieldName('value');
  return !!body && /\bimpl\b/.test(body.text);
}

/** The last segments of the user ADTs in `t` (`a::Point<T>` → `Point`, `T`'s ADTs too). */
function adtNames(t: Ty, out: Set<string>, depth = 0): void {
  if (depth > 32) return;
  switch (t.kind) {
    case 'adt':
      if (!t.std) out.add(t.name.slice(t.name.lastIndexOf(':') + 1).replace(/#\d+$/, ''));
      for (const a of t.args) adtNames(a, out, depth + 1);
      return;
    case 'ref':
    case 'rawptr':
      return adtNames(t.inner, out, depth + 1);
    case 'tuple':
      for (const e of t.elems) adtNames(e, out, depth + 1);
      return;
    case 'array':
    case 'slice':
      return adtNames(t.elem, out, depth + 1);
    case 'fn':
      for (const p of t.params) adtNames(p, out, depth + 1);
      return adtNames(t.ret, out, depth + 1);
    default:
      return;
  }
}

/** The names a unit depends on (`UnitResult.deps`), computed once. */
function depsOf(r: UnitResult): Set<string> {
  if (!r.deps) {
    const deps = new Set(identifiers(r.fingerprint));
    for (const [, body] of r.bodies) for (const l of body.locals) adtNames(l.ty, deps);
    r.deps = deps;
  }
  return r.deps;
}

const sortDiagnostics = (a: EngineDiagnostic, b: EngineDiagnostic): number =>
  a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;

/**
 * One document's analyses over its versions (see the module comment). `analyze` runs one to the
 * end; `steps` yields between units so that a caller can interleave other work, or drop the
 * generator to abandon it (nothing is kept until the last step). Not thread-aware.
 */
export class DocumentAnalyzer {
  private units = new Map<string, UnitResult>();
  private records = new Map<string, number>();
  private recordNames = new Map<string, ItemRecord>();
  private readonly ids: IdCounter = { expr: 1, closure: 1 };
  /** The tree mirror's items of the last version (`syntax/cst.ts`). */
  private readonly mirrors = new MirrorCache();
  private analysed = false;
  /** The edition of the last analysis: another edition analyses everything again. */
  private edition: Edition | undefined;

  /** Analyses `text` (a new version of the document), reusing what it can. */
  analyze(text: string, opts: AnalyzeOptions = {}): Analysis {
    const it = this.steps(text, opts);
    for (;;) {
      const r = it.next();
      if (r.done) return r.value;
    }
  }

  /** `analyze` in steps: each `next()` does one unit's work (or one stage); the last returns the analysis. */
  *steps(text: string, opts: AnalyzeOptions = {}): Generator<void, Analysis, void> {
    const timings: Timings = { parse: 0, lower: 0, mir: 0, borrowck: 0, interp: 0 };
    const failures: { function: string; message: string }[] = [];
    const tp = performance.now();
    const tree = opts.tree ?? parseRust(text);
    const t0 = performance.now();
    timings.parse = t0 - tp;
    const focus = this.mirrors.mirror(tree, text);
    const layout = opts.crate?.layout(focus);
    const lowering = new FileLowering(layout?.root ?? focus, this.ids, layout?.moduleFile);
    yield;

    // --- which signatures changed
    const records = new Map<string, number>();
    const recordNames = new Map<string, ItemRecord>();
    for (const r of lowering.records) {
      records.set(r.text, (records.get(r.text) ?? 0) + 1);
      recordNames.set(r.text, r);
    }
    const changedNames = new Set<string>();
    const edition = opts.edition ?? '2021';
    let full = !this.analysed || edition !== this.edition;
    const diff = (a: Map<string, number>, b: Map<string, number>, names: Map<string, ItemRecord>): void => {
      for (const [t, n] of a) {
        if ((b.get(t) ?? 0) === n) continue;
        const r = names.get(t)!;
        for (const x of r.names) changedNames.add(x);
        if (r.global) full = true;
      }
    };
    diff(records, this.records, recordNames);
    diff(this.records, records, this.recordNames);
    // A signature that mentions a changed name changes meaning too (`struct S { m: HashMap<..> }`
    // when the `use` of `HashMap` went away): close the changed names over the signatures.
    for (let grew = changedNames.size > 0; grew;) {
      grew = false;
      for (const r of recordNames.values()) {
        if (r.names.every((x) => changedNames.has(x))) continue;
        if (!identifiers(r.text).some((x) => changedNames.has(x))) continue;
        for (const x of r.names) changedNames.add(x);
        if (r.global) full = true;
        grew = true;
      }
    }

    // --- which units to reuse
    const dirty = (u: BodyUnit): boolean =>
      (!layout || u.node.startPosition.row < CRATE_LINE_STRIDE) &&
      !!opts.changed?.some((c) => c.startIndex <= u.node.endIndex && u.node.startIndex <= c.endIndex);
    let dirtyCount = 0;
    const plan: { u: BodyUnit; reuse?: UnitResult; fingerprint: string }[] = [];
    for (const u of lowering.units) {
      const isDirty = dirty(u);
      if (isDirty) dirtyCount++;
      const fingerprint = fingerprintOf(u);
      const old = this.units.get(u.key);
      const same = !!old && u.kind === 'fn' && !isDirty && old.fingerprint === fingerprint && old.column === u.node.startPosition.column;
      if (!same && (old?.declaresImpl || mayDeclareImpl(u))) full = true;
      plan.push({ u, fingerprint, ...(same ? { reuse: old } : {}) });
    }
    // A unit that declared an impl and is gone (or changed) changes method lookup file-wide.
    const kept = new Set(plan.flatMap((p) => (p.reuse ? [p.reuse] : [])));
    for (const old of this.units.values()) if (old.declaresImpl && !kept.has(old)) full = true;
    if (!full) {
      for (const p of plan) {
        if (!p.reuse) continue;
        for (const d of changedNames) {
          if (depsOf(p.reuse).has(d)) {
            delete p.reuse;
            break;
          }
        }
      }
    }
    if (full) for (const p of plan) delete p.reuse;

    // --- lower (all units first, in order: a unit's items are in the file before any typing)
    const placed: Placed[] = [];
    const fresh: { p: (typeof plan)[number]; hir: UnitHir; index: number }[] = [];
    for (const p of plan) {
      if (p.reuse) {
        lowering.adoptUnit(p.u, p.reuse.hir);
        placed.push({ result: p.reuse, line: p.u.node.startPosition.row });
      } else {
        fresh.push({ p, hir: lowering.lowerUnit(p.u), index: placed.length });
        placed.push(undefined as unknown as Placed);
        if (fresh.length % 16 === 0) yield;
      }
    }
    const file = lowering.finish();
    timings.lower = performance.now() - t0;
    yield;

    // --- type, build and check the units lowered again
    for (const { p, hir, index } of fresh) {
      const t1 = performance.now();
      const prog: MirProgram = { bodies: new Map(), closures: new Map(), localMaps: new Map(), edition };
      const unitFailures: { function: string; message: string }[] = [];
      const typeck: [FnDef, TypeckResults][] = [];
      for (const fn of hir.fns) {
        const tr = inferFn(file, fn);
        typeck.push([fn, tr]);
        buildFnBodies(file, fn, tr, prog, unitFailures);
      }
      const t2 = performance.now();
      const diagnostics: EngineDiagnostic[] = [];
      // rustc does not borrow-check a body with type errors (nor the closures in it): neither do we.
      const typeErrorFns: Span[] = typeck.flatMap(([fn, r]) => (r.typeErrors.length ? [fn.span] : []));
      for (const [name, body] of prog.bodies) {
        // A crate's other files: their diagnostics are theirs (checked on demand, or all for `check`).
        if (opts.crate && !opts.crate.checkAll && body.span.start.line >= CRATE_LINE_STRIDE) continue;
        try {
          // Only the diagnostics are kept: a checker holds its dataflow states (half an
          // analysis's memory), and a query makes one again for its body (`borrowcks`).
          // Too large to check live (`MAX_LIVE_BODY_SIZE`): no diagnostics; the hover says why.
          if (bodyTooLargeReason(body)) continue;
          const b = new BodyBorrowck(body, file.adts, edition);
          if (typeErrorFns.some((sp) => spanContains(sp, body.span.start))) continue;
          diagnostics.push(...b.diagnostics());
        } catch (e) {
          unitFailures.push({ function: name, message: `borrow check failed: ${(e as Error).message}` });
        }
      }
      placed[index] = {
        line: p.u.node.startPosition.row,
        result: {
          fingerprint: p.fingerprint,
          column: p.u.node.startPosition.column,
          line: p.u.node.startPosition.row,
          hir,
          typeck,
          bodies: [...prog.bodies],
          localMaps: [...prog.localMaps],
          closures: [...prog.closures],
          diagnostics,
          failures: unitFailures,
          declaresImpl: mayDeclareImpl(p.u),
        },
      };
      timings.mir += t2 - t1;
      timings.borrowck += performance.now() - t2;
      yield;
    }

    // --- commit: nothing above changed the analyser's state
    const units = new Map<string, UnitResult>();
    const typeck: FileTypeck = new Map();
    const mir: MirProgram = { bodies: new Map(), closures: new Map(), localMaps: new Map(), edition };
    // Syntax errors first (rustc's order); the rest of the file is still analysed.
    const diagnostics: EngineDiagnostic[] = [...syntaxErrors(tree, focus).diagnostics];
    const pending: Placed[] = [];
    let moved = 0;
    for (let i = 0; i < plan.length; i++) {
      const { result: r, line } = placed[i];
      if (plan[i].u.kind === 'fn') units.set(plan[i].u.key, r);
      for (const [fn, tr] of r.typeck) typeck.set(fn, tr);
      for (const [k, b] of r.bodies) mir.bodies.set(k, b);
      for (const [k, m] of r.localMaps) mir.localMaps.set(k, m);
      for (const [k, c] of r.closures) mir.closures.set(k, c);
      failures.push(...r.failures);
      const delta = line - r.line;
      if (delta !== 0) {
        moved++;
        pending.push({ result: r, line });
        for (const d of r.diagnostics) diagnostics.push(shiftedCopy(d, delta));
      } else diagnostics.push(...r.diagnostics);
    }
    diagnostics.sort(sortDiagnostics);
    const split = opts.crate ? splitDiagnostics(diagnostics) : undefined;
    this.units = units;
    this.records = records;
    this.recordNames = recordNames;
    this.analysed = true;
    this.edition = edition;
    const stats: AnalysisStats = {
      units: plan.length,
      analysed: fresh.map((f) => f.p.u.key),
      reused: plan.length - fresh.length,
      moved,
      dirty: dirtyCount,
      full,
    };
    const analysis = new CommittedAnalysis(
      text,
      split?.focus ?? diagnostics,
      failures,
      timings,
      tree,
      file,
      typeck,
      mir,
      opts.stepBudget ?? 100_000,
      edition,
      stats,
      pending,
    );
    if (split) analysis.crateDiagnostics = split.others;
    return analysis;
  }
}

/**
 * An analysis whose reused units may still have to move (by whole lines) to this version's
 * positions: `file`, `typeck` and `mir` move them on first access, so that every reader sees
 * this version's positions; `diagnostics` are already moved.
 */
class CommittedAnalysis implements Analysis {
  run?: Run;
  crateDiagnostics?: EngineDiagnostic[];

  constructor(
    public text: string,
    public diagnostics: EngineDiagnostic[],
    public failures: { function: string; message: string }[],
    public timings: Timings,
    public tree: Parser.Tree,
    private readonly fileHir: FileHir,
    private readonly typeckResults: FileTypeck,
    private readonly program: MirProgram,
    public stepBudget: number,
    public edition: Edition,
    public stats: AnalysisStats,
    private pending: Placed[],
  ) {}

  private readonly checked = new Map<string, BodyBorrowck>();

  /**
   * A body's checker is made on first use (at this version's positions) and kept; none for a body
   * too large to check live (`bodyTooLargeReason`).
   */
  readonly borrowcks = {
    get: (name: string): BodyBorrowck | undefined => {
      let b = this.checked.get(name);
      if (!b) {
        const body = this.mir.bodies.get(name);
        if (!body || bodyTooLargeReason(body)) return undefined;
        b = new BodyBorrowck(body, this.file.adts, this.edition);
        this.checked.set(name, b);
      }
      return b;
    },
  };

  get file(): FileHir {
    this.movePositions();
    return this.fileHir;
  }

  get typeck(): FileTypeck {
    this.movePositions();
    return this.typeckResults;
  }

  get mir(): MirProgram {
    this.movePositions();
    return this.program;
  }

  /** Moves every reused unit that is not yet at this version's lines (`shift.ts`). */
  private movePositions(): void {
    if (!this.pending.length) return;
    for (const { result: r, line } of this.pending) {
      // Not the unit's typeck results: they refer to other units' FnDefs and hold no positions.
      shiftLines([r.hir, r.bodies, r.closures, r.diagnostics], line - r.line);
      r.line = line;
    }
    this.pending = [];
  }
}
