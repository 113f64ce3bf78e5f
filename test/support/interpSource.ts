/**
 * Test support: runs the interpreter on Rust source text through the real pipeline
 * (`analyze` → the analysis's MIR) and finds positions by marker text.
 */
import { analyze } from '../../server/src/engine/engine';
import { runProgram, type Run } from '../../server/src/interp';
import type { Position } from '../../shared/protocol';

/** Runs `main` of `text` (or `entry`). */
export function runSource(text: string, entry = 'main', stepBudget?: number): Run {
  const a = analyze(text);
  return runProgram({ file: a.file, bodies: a.mir.bodies, entry, stepBudget });
}

/** Position of the `nth` (0-based) occurrence of `needle` in `text`, plus `delta` columns. */
export function posOf(text: string, needle: string, nth = 0, delta = 0): Position {
  let idx = -1;
  for (let i = 0; i <= nth; i++) {
    idx = text.indexOf(needle, idx + 1);
    if (idx < 0) throw new Error(`marker not found: ${needle}`);
  }
  const before = text.slice(0, idx);
  const line = before.split('\n').length - 1;
  const character = idx - (before.lastIndexOf('\n') + 1) + delta;
  return { line, character };
}
