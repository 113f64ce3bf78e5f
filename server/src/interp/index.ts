/**
 * The interpreter's public API (used by `engine/engine.ts` and `ide/`).
 *
 *   const run = runProgram({ file, bodies, entry: 'main', stepBudget });   // the whole trace
 *   const run = runFor({ file, bodies, entry: 'main', stepBudget });       // same, cached per bodies map
 *   snapshotAt(run, pos, visit = 1, stepOffset = 0): Snapshot             // protocol.ts Snapshot
 *   valueStateAt(run, pos, { name } | { declRange }, visit = 1, { before? }): ValueState | null
 *
 * Inputs
 * - `file`: the FileHir (ADTs for field names/Drop impls, statics); `bodies`: every MIR body by
 *   path: fn qualName (`main`, `a::Point::new`) and closures (`main::{closure#0}`), as
 *   `mir/build.ts` `MirProgram.bodies` holds them. Positions are LSP's (0-based line, UTF-16).
 * - Bounds: `stepBudget` (default 100 000 executed statements + terminators), `loopCap` (visits
 *   of one loop header per activation, default 10 000), `maxDepth` (calls, default 200);
 *   and budgets on work (`budget.ts`): values copied/formatted/compared per step and per run,
 *   simulated heap (64 MB) and stack (8 MB) bytes, array lengths and indices checked before
 *   anything is allocated for them (`memory-limit`).
 *
 * Cancellation: `cancelled()` in the input is asked every few thousand steps; when true the run
 * throws `SimulationCancelled` (nothing is kept).
 *
 * Run (trace.ts)
 * - `steps`: one per statement/terminator with a visible effect: `{ span, act, events, enters?,
 *   loop? }`; `acts`: activations `{ id, fn, depth, parent?, callSite?, enterStep }`;
 *   `stop`: `{ reason: 'end' | 'step-limit' | 'loop-limit' | 'recursion-limit' | 'memory-limit' | 'panic' |
 *   'unsupported', message, range?, step }`; `stdout` (what println! printed); `unknowns`.
 * - Never throws: an internal error ends the trace with reason `unsupported`.
 * - No memory copies are stored: a snapshot replays the deterministic run up to its step,
 *   except at the last step (the recorded machine, `Run.final`) and at the steps of the last few
 *   replays (`Run.replays`, bounded in number and weight).
 *
 * Snapshot semantics (snapshot.ts): the function holding `pos` is the innermost body whose span
 * contains it; a *visit* of the cursor's line is the memory after the last statement of that
 * function ending on/before the line (when the line has statements: ending on it), once per
 * pass (loop iteration, call). Functions `main` never reaches run alone with unknown arguments.
 * Status: `ok`, `no-function`, `not-reached`, `stopped` (the trace ended before the line).
 *
 * ValueState (hover): `{ state, movedTo?, text, targetRegion?, targetId?, targetBytes?, len?,
 * capacity?, heapState?, status }` for one binding; `before: true` gives the value just before
 * the line runs (hover on a use), default is just after (hover on a `let`).
 */
export { runProgram, runFor, replayTo } from './run';
export type { Run, RunInput, Step, ActInfo, StopInfo } from './trace';
export { SimulationCancelled } from './trace';
