/**
 * Runs the pipeline over one file and answers queries on the result (see `engine.ts`).
 */
import type { Analysis, AnalyzeOptions, HoverInfo } from './engine';
import type { Position, Snapshot } from './protocol';
import { parseRust } from './syntax/parser';

export function analyze(text: string, opts: AnalyzeOptions = {}): Analysis {
  const t0 = performance.now();
  const tree = opts.tree ?? parseRust(text);
  const parse = performance.now() - t0;
  return { text, diagnostics: [], failures: [], timings: { parse, lower: 0, mir: 0, borrowck: 0, interp: 0 }, internal: { tree } };
}

export function hoverAt(_a: Analysis, _pos: Position): HoverInfo | null {
  return null;
}

export function snapshotAt(_a: Analysis, _pos: Position, visit = 1, _stepOffset = 0): Snapshot {
  return { status: 'unavailable', message: 'not implemented yet', visit, visits: 0, step: 0, steps: 0, frames: [], heap: [], statics: [], events: [] };
}
