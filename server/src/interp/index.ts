/**
 * The interpreter's public API (used by `analysis.ts`).
 *
 *   const run = runProgram({ file, bodies, entry: 'main' });   // trace of the whole program
 *   const run = runFor({ file, bodies, entry: 'main', stepBudget });   // same, cached per bodies map
 *   snapshotAt(run, pos, visit?, stepOffset?): Snapshot         // memory when execution reaches pos
 *   valueStateAt(run, pos, { name } | { declRange }): ValueState | null   // for hover
 *
 * - `bodies`: every MIR body by name: fn qualName (`main`, `Point::new`) and closure names
 *   (`{closure@L:C}`, 1-based), as `mir/build.ts` `MirProgram.bodies` holds them.
 * - `runProgram` never throws; `run.stop` says why the trace ended (`end` when the entry
 *   returned; `step-limit`, `loop-limit`, `recursion-limit`, `panic`, `unsupported`).
 * - A position in a function the entry never calls is answered by a run of that function alone
 *   with unknown (symbolic) arguments, made on first request and cached in the run.
 * - Positions are LSP's (0-based line, UTF-16 column); `visit` is 1-based.
 * - Cost: `runProgram` is linear in the steps executed (≤ stepBudget, default 100 000);
 *   each `snapshotAt` replays the program up to the chosen step (no memory copies are kept).
 */
export { runProgram, runFor, snapshotAt, valueStateAt, visitsOf, bodyAt, replayTo, type ValueState, type Visit } from './snapshot';
export type { Run, RunInput, Step, ActInfo, StopInfo } from './trace';
export { setLayoutProvider } from './tyinfo';
