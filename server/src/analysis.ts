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
import { hoverAt as hoverQuery } from './hover';

/** What hover and snapshot read; kept inside `Analysis.internal`. */
export interface Internal {
  tree: Parser.Tree;
  file: FileHir;
  typeck: FileTypeck;
  mir: MirProgram;
  stepBudget: number;
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
  try {
    return hoverQuery(a, pos);
  } catch {
    return null;
  }
}

export function snapshotAt(_a: Analysis, _pos: Position, visit = 1, _stepOffset = 0): Snapshot {
  return { status: 'unavailable', message: 'not implemented yet', visit, visits: 0, step: 0, steps: 0, frames: [], heap: [], statics: [], events: [] };
}
