/**
 * Runs the pipeline over one file and answers queries on the result (see `engine.ts`):
 * parse → lower (HIR) → infer (types) → build (MIR) → borrowck (diagnostics); the interpreter
 * and hover read the same MIR lazily, on the first query that needs them.
 */
import type Parser from 'tree-sitter';
import type { Analysis, AnalyzeOptions, EngineDiagnostic, HoverInfo } from './engine';
import type { Position, Snapshot } from './protocol';
import { parseRust } from './syntax/parser';
import { lowerFile } from './syntax/lower';
import { inferFile, type FileTypeck } from './hir/infer';
import type { FileHir } from './hir/hir';
import { buildProgram, type MirProgram } from './mir/build';
import { borrowck } from './borrowck/borrowck';
import { hoverAt as hoverQuery, type SimulatedValue } from './hover';
import { runProgram, snapshotAt as interpSnapshotAt, valueStateAt, type Run } from './interp';

/** What hover and snapshot read; kept inside `Analysis.internal`. */
export interface Internal {
  tree: Parser.Tree;
  file: FileHir;
  typeck: FileTypeck;
  mir: MirProgram;
  stepBudget: number;
  /** The simulation, run on the first query that needs it. */
  run?: Run;
}

/** The simulation of the whole program (from `main`, or per function when unreached), cached. */
function runOf(cx: Internal, timings?: { interp: number }): Run {
  if (!cx.run) {
    const t0 = performance.now();
    const entry = cx.mir.bodies.has('main') ? 'main' : [...cx.mir.bodies.keys()][0] ?? 'main';
    cx.run = runProgram({ file: cx.file, bodies: cx.mir.bodies, entry, stepBudget: cx.stepBudget, symbolic: entry !== 'main' });
    if (timings) timings.interp = performance.now() - t0;
  }
  return cx.run;
}

/** Analyses one file. Total: never throws; a failing stage costs only what depends on it. */
export function analyze(text: string, opts: AnalyzeOptions = {}): Analysis {
  const timings = { parse: 0, lower: 0, mir: 0, borrowck: 0, interp: 0 };
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
  const mir = buildProgram(file, typeck, failures);
  timings.mir = lap();
  const diagnostics: EngineDiagnostic[] = [];
  for (const [name, body] of mir.bodies) {
    try {
      diagnostics.push(...borrowck(body));
    } catch (e) {
      failures.push({ function: name, message: `borrow check failed: ${(e as Error).message}` });
    }
  }
  diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  timings.borrowck = lap();
  const internal: Internal = { tree, file, typeck, mir, stepBudget: opts.stepBudget ?? 100_000 };
  return { text, diagnostics, failures, timings, internal };
}

export function hoverAt(a: Analysis, pos: Position): HoverInfo | null {
  const cx = a.internal as Internal;
  try {
    return hoverQuery(a, pos, (_fn, local, at): SimulatedValue | undefined => {
      const v = valueStateAt(runOf(cx, a.timings), at, { declRange: local.span });
      if (!v) return undefined;
      return { len: v.len, capacity: v.capacity, targetSize: v.targetBytes, target: v.targetRegion, text: v.text };
    });
  } catch {
    return null;
  }
}

export function snapshotAt(a: Analysis, pos: Position, visit = 1, stepOffset = 0): Snapshot {
  const cx = a.internal as Internal;
  try {
    return interpSnapshotAt(runOf(cx, a.timings), pos, visit, stepOffset);
  } catch (e) {
    return { status: 'unavailable', message: `the simulation failed: ${(e as Error).message}`, visit, visits: 0, step: 0, steps: 0, frames: [], heap: [], statics: [], events: [] };
  }
}
