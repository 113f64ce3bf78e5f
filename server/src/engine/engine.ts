/**
 * The engine's API: text (or a tree-sitter tree) in, an `Analysis` out. No LSP in here: the
 * queries on an analysis (hover, snapshot) are in `ide/`, and the language server (`lsp/`) and
 * the CLI (`cli/`) are thin users of both.
 *
 *   text ──tree-sitter──▶ CST ──lower──▶ HIR ──infer──▶ typed HIR ──build──▶ MIR
 *        ──▶ borrowck (diagnostics) / interp (trace, run lazily) / layout (sizes)
 *
 * Positions are LSP's (0-based line, UTF-16 column). Every entry point is total: it never
 * throws for any input; a failure inside one function costs only that function's results and
 * is reported in `Analysis.failures`.
 */
import type Parser from 'tree-sitter';
import type { EngineDiagnostic } from '../base/diagnostic';
import { spanContains, type Span } from '../base/span';
import { parseRust } from '../syntax/parser';
import { lowerFile } from '../syntax/lower';
import { syntaxErrors } from '../syntax/errors';
import { inferFile, type FileTypeck } from '../hir/infer';
import type { FileHir } from '../hir/hir';
import { buildProgram, type MirProgram } from '../mir/build';
import { BodyBorrowck, BORROWCK_CODES } from '../borrowck';
import { runProgram, type Run } from '../interp';

export type { EngineDiagnostic } from '../base/diagnostic';

/** Files larger than this (UTF-16 code units) are not analysed; the message says so. */
export const MAX_TEXT_LENGTH = 8 * 1024 * 1024;

/** rustc error codes the engine reports today (fixtures with other codes are not compared). */
export const IMPLEMENTED_CODES: readonly string[] = BORROWCK_CODES;

/** A Rust edition; it changes closure captures (2021) and tail-expression temporaries (2024). */
import type { Edition } from '../borrowck';
export type { Edition };

export interface AnalyzeOptions {
  /** The crate's edition; 2021 when absent (Cargo's default for new crates). */
  edition?: Edition;
  /** A tree for exactly this text (from the document store); parsed here when absent. */
  tree?: Parser.Tree;
  /** Upper bound on interpreter steps for the whole trace. Default 100 000. */
  stepBudget?: number;
}

/** Milliseconds spent in each stage, for the benchmark. */
export interface Timings {
  parse: number;
  lower: number;
  mir: number;
  borrowck: number;
  interp: number;
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
  file: FileHir;
  typeck: FileTypeck;
  mir: MirProgram;
  /** The borrow check of each MIR body, by body name: its loans and move states serve hover too. */
  borrowcks: Map<string, BodyBorrowck>;
  /** Upper bound on interpreter steps (see `AnalyzeOptions.stepBudget`). */
  stepBudget: number;
  edition: Edition;
  /** The simulation, once run (see `simulation`). */
  run?: Run;
}

/** Analyses one file. Total: never throws; a failing stage costs only what depends on it. */
export function analyze(text: string, opts: AnalyzeOptions = {}): Analysis {
  const timings: Timings = { parse: 0, lower: 0, mir: 0, borrowck: 0, interp: 0 };
  const failures: { function: string; message: string }[] = [];
  let t = performance.now();
  const lap = (): number => {
    const now = performance.now();
    const d = now - t;
    t = now;
    return d;
  };
  const tree = opts.tree ?? parseRust(text);
  timings.parse = lap();
  const file = lowerFile(tree.rootNode);
  const typeck = inferFile(file);
  timings.lower = lap();
  const mir = buildProgram(file, typeck, failures, opts.edition ?? '2021');
  timings.mir = lap();
  // Syntax errors first (rustc's order); the rest of the file is still analysed.
  const diagnostics: EngineDiagnostic[] = [...syntaxErrors(tree).diagnostics];
  const borrowcks = new Map<string, BodyBorrowck>();
  const edition = opts.edition ?? '2021';
  // rustc does not borrow-check a body with type errors (nor the closures in it): neither do we.
  const typeErrorFns: Span[] = [];
  for (const [fn, r] of typeck) if (r.typeErrors.length) typeErrorFns.push(fn.span);
  for (const [name, body] of mir.bodies) {
    try {
      const b = new BodyBorrowck(body, file.adts, edition);
      borrowcks.set(name, b);
      if (typeErrorFns.some((s) => spanContains(s, body.span.start))) continue;
      diagnostics.push(...b.diagnostics());
    } catch (e) {
      failures.push({ function: name, message: `borrow check failed: ${(e as Error).message}` });
    }
  }
  diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  timings.borrowck = lap();
  return {
    text,
    diagnostics,
    failures,
    timings,
    tree,
    file,
    typeck,
    mir,
    borrowcks,
    stepBudget: opts.stepBudget ?? 100_000,
    edition: opts.edition ?? '2021',
  };
}

/**
 * The simulation of the whole program (from `main`, or from the first body when there is no
 * `main`; functions `main` does not reach are run alone, on demand), run once and kept on the
 * analysis. Its time is added to `timings.interp`.
 */
export function simulation(a: Analysis): Run {
  if (!a.run) {
    const t0 = performance.now();
    const entry = a.mir.bodies.has('main') ? 'main' : ([...a.mir.bodies.keys()][0] ?? 'main');
    a.run = runProgram({ file: a.file, bodies: a.mir.bodies, entry, stepBudget: a.stepBudget, symbolic: entry !== 'main' });
    a.timings.interp = performance.now() - t0;
  }
  return a.run;
}
