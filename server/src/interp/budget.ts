/**
 * Budgets on the work of a simulation, not only on its steps: a step that copies, formats or
 * compares a million values costs a million, so the step budget alone does not bound a run.
 *
 *   - values: every value the simulation materialises, copies, formats or compares is charged
 *     (`chargeValues`): at most `STEP_VALUES` in one step (a `vec![0u8; 10_000_000]`, a clone of
 *     a huge array) and `RUN_VALUES` over the whole run;
 *   - heap: the simulated program's live heap bytes (layout sizes of its blocks) at most
 *     `HEAP_BYTES` (64 MiB), checked when a block is allocated;
 *   - stack: the simulated program's frames at most `STACK_BYTES` (8 MiB, the main thread's
 *     stack on Linux): past it the program overflows its stack, as the real one would.
 *
 * A budget that runs out throws `BudgetExceeded`; `Machine.run` turns it into the run's stop
 * (`reason: 'memory-limit'`, the message in words), so the trace ends where it happened.
 *
 * The meter is module state (the simulation is synchronous; nested machines save and restore the
 * current one with `withMeter`), so that the free functions of `memory.ts` (`cloneVal`) and the
 * std simulations charge it without a machine at hand.
 */
import type { StopReason } from '../../../shared/protocol';

/** Wall-clock milliseconds a recorded run may take (checked every 4096 steps; replays are not timed). */
export const SIMULATION_MS = 5_000;
/** Values one step may materialise, copy, format or compare. */
export const STEP_VALUES = 1_000_000;
/** Values the whole run may materialise, copy, format or compare. */
export const RUN_VALUES = 2_000_000;
/** Live simulated heap, bytes. */
export const HEAP_BYTES = 64 * 1024 * 1024;
/** Simulated stack, bytes (Linux's default main-thread stack). */
export const STACK_BYTES = 8 * 1024 * 1024;
/** Largest element count or index the simulation allocates for (an array length, a tuple index, a write past the end). */
export const MAX_ELEMS = STEP_VALUES;

/** A budget ran out: the run stops with `reason` and `message`. */
export class BudgetExceeded extends Error {
  constructor(
    readonly reason: StopReason,
    message: string,
  ) {
    super(message);
  }
}

/** The work counters of one run. */
export class WorkMeter {
  stepValues = 0;
  runValues = 0;
  heapBytes = 0;
  stackBytes = 0;

  /** A new step begins: the per-step counter restarts. */
  newStep(): void {
    this.stepValues = 0;
  }
}

let current: WorkMeter | null = null;

/** Runs `f` with `meter` as the current meter (restoring the previous one, also on throw). */
export function withMeter<T>(meter: WorkMeter, f: () => T): T {
  const saved = current;
  current = meter;
  try {
    return f();
  } finally {
    current = saved;
  }
}

const fmt = (n: number): string => n.toLocaleString('en-US');
const mb = (n: number): string => `${Math.round(n / (1024 * 1024))} MB`;

/** Charges `n` values to the current meter (no meter: free). Throws `BudgetExceeded` past a budget. */
export function chargeValues(n: number): void {
  const m = current;
  if (!m) return;
  m.stepValues += n;
  m.runValues += n;
  if (m.stepValues > STEP_VALUES)
    throw new BudgetExceeded('memory-limit', `the simulation stopped: one step copies or formats more than ${fmt(STEP_VALUES)} values`);
  if (m.runValues > RUN_VALUES)
    throw new BudgetExceeded(
      'memory-limit',
      `the simulation stopped: the program copied or compared more than ${fmt(RUN_VALUES)} values in all`,
    );
}

/** Checks that `n` elements (an array length, an index written) can be allocated for; throws past `MAX_ELEMS`. */
export function checkLength(n: number, what: string): void {
  if (!(n >= 0) || n > MAX_ELEMS)
    throw new BudgetExceeded(
      'memory-limit',
      `the simulation stopped: ${what} needs more than ${fmt(MAX_ELEMS)} elements, too many to simulate`,
    );
}

/** `checkLength`, then charges the `n` values about to be made. */
export function checkElems(n: number, what: string): void {
  checkLength(n, what);
  chargeValues(n);
}

/** Charges a heap allocation of `bytes` (null: unknown size, free) to the current meter. */
export function chargeHeap(bytes: number | null): void {
  const m = current;
  if (!m || bytes === null) return;
  m.heapBytes += bytes;
  if (m.heapBytes > HEAP_BYTES) throw new BudgetExceeded('memory-limit', `the simulated program allocated more than ${mb(HEAP_BYTES)}`);
}

/** Returns freed heap bytes to the current meter. */
export function releaseHeap(bytes: number | null): void {
  if (current && bytes !== null) current.heapBytes = Math.max(0, current.heapBytes - bytes);
}

/** Charges a frame of `bytes` to the simulated stack; past `STACK_BYTES` the program overflows its stack. */
export function pushStack(bytes: number): void {
  const m = current;
  if (!m) return;
  m.stackBytes += bytes;
  if (m.stackBytes > STACK_BYTES)
    throw new BudgetExceeded(
      'memory-limit',
      `the simulated program overflowed its stack: its frames need more than ${mb(STACK_BYTES)} (the real program would abort: "thread 'main' has overflowed its stack")`,
    );
}

/** Returns a popped frame's bytes. */
export function popStack(bytes: number): void {
  if (current) current.stackBytes = Math.max(0, current.stackBytes - bytes);
}
