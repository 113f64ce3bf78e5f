/**
 * Running a program: the recorded trace of one run (`runProgram`), and the memory after any
 * step of it, rebuilt by a deterministic re-run (`replayTo`) unless a machine at that step is
 * kept (the finished run's own machine for its last step, a few recent replays). Queries that
 * turn a run into pictures and hover facts live in `ide/snapshot.ts`.
 */
import type { Body } from '../mir/mir';
import { DEFAULT_BUDGET, Machine } from './interp';
import type { Run, RunInput } from './trace';

/**
 * Replayed machines kept per run, most recent first (hover and the panel often come back to the
 * same steps: the visits of a line, the step before it, the last step of a stopped run).
 */
const REPLAYS_KEPT = 4;
/**
 * Machines whose memory weighs more than this (`machineWeight`: heap blocks plus the elements
 * they hold) are not kept beside the most recent one: the cache never holds several large states.
 */
const KEPT_WEIGHT = 200_000;

/** Runs `input.entry` and records its trace. Never throws (see `Machine.run`). */
export function runProgram(input: RunInput): Run {
  const m = new Machine(input, { record: true });
  m.run();
  const steps = m.steps ?? [];
  const run: Run = {
    input,
    steps,
    executed: m.executed,
    acts: m.actInfos,
    stop: m.stop ?? { reason: 'unsupported', message: 'the simulation did not finish', step: m.stepCount - 1 },
    stdout: m.stdoutLines(),
    unknowns: m.unknowns,
    symbolicRuns: new Map(),
  };
  // The finished machine is the memory after the last step: the snapshots of a stopped run, and
  // every position after where it stopped, show that step without running the program again.
  // Kept however heavy (the run's budgets bound it): a heavy run is costly to replay, and its
  // last step is what most queries ask for. A run holding a heavy one keeps no heavy replay
  // (`replayTo`), so it never holds two.
  if (m.atStepEnd && steps.length && m.stepCount === steps.length)
    run.final = { step: steps.length - 1, machine: m, weight: machineWeight(m) };
  return run;
}

/**
 * MIR steps that all the symbolic runs of one run share (`runSymbolic`): however many functions
 * `main` never calls are looked at, their runs together cost about one run's budget.
 */
const SYMBOLIC_STEPS = DEFAULT_BUDGET;
/** Steps a symbolic run gets however many ran before it (each function still shows its start). */
const SYMBOLIC_MIN_STEPS = 2_000;

/**
 * The run of `entry` alone with symbolic (unknown) arguments, for a function `run` never reaches:
 * made on first use and kept in `run.symbolicRuns`. Its step budget is what the earlier symbolic
 * runs of `run` left of `SYMBOLIC_STEPS` (at least `SYMBOLIC_MIN_STEPS`), so a file of many
 * never-called functions with long loops is not simulated again and again in full. Never throws
 * except `SimulationCancelled` (see `runProgram`).
 */
export function runSymbolic(run: Run, entry: string): Run {
  const kept = run.symbolicRuns.get(entry);
  if (kept) return kept;
  let used = 0;
  for (const r of run.symbolicRuns.values()) used += r.executed;
  const left = Math.max(SYMBOLIC_MIN_STEPS, SYMBOLIC_STEPS - used);
  const own = run.input.stepBudget ?? DEFAULT_BUDGET;
  const shared = left < own;
  const r = runProgram({
    ...run.input,
    entry,
    symbolic: true,
    ...(shared ? { stepBudget: left, stepBudgetNote: 'what was left of the budget the runs of functions `main` never calls share' } : {}),
  });
  run.symbolicRuns.set(entry, r);
  return r;
}

/**
 * How much memory a machine's state holds, roughly: one per heap block and per element (a run
 * `vec![0; n]` counts one), one per frame slot.
 */
function machineWeight(m: Machine): number {
  let n = 0;
  for (const b of m.heap) n += 1 + (b.run ? 1 : b.elems.length);
  for (const a of m.acts) n += a.slots.length;
  return n;
}

/**
 * The memory after step `k` of `run`: a kept machine at that step (`Run.final`, `Run.replays`), else a re-run
 * of the program stopped right after step `k` (then kept). Callers must not mutate it.
 */
export function replayTo(run: Run, k: number): Machine {
  if (run.final && run.final.step === k) return run.final.machine as Machine;
  const kept = (run.replays ??= []);
  const i = kept.findIndex((r) => r.step === k);
  if (i >= 0) {
    const hit = kept[i];
    if (i > 0) {
      kept.splice(i, 1);
      kept.unshift(hit);
    }
    return hit.machine as Machine;
  }
  const m = new Machine(run.input, { record: false, stopAfter: k });
  m.run();
  kept.unshift({ step: k, machine: m, weight: machineWeight(m) });
  // Bounded: at most REPLAYS_KEPT machines, and beside the newest only light ones (plus `final`);
  // when `final` is heavy, only light ones.
  const heavyFinal = (run.final?.weight ?? 0) > KEPT_WEIGHT;
  run.replays = kept.filter((r, j) => (r.weight ?? 0) <= KEPT_WEIGHT || (j === 0 && !heavyFinal));
  run.replays.length = Math.min(run.replays.length, REPLAYS_KEPT);
  return m;
}

/**
 * Whether the memory after step `k` of `run` is at hand without a costly replay: a kept machine
 * at that step, or a light run (its final machine weighs at most `KEPT_WEIGHT`, so replays are
 * quick). Queries that only add detail (the former owner of a freed block) ask first.
 */
export function cheapToReplay(run: Run, k: number): boolean {
  if (run.final?.step === k || run.replays?.some((r) => r.step === k)) return true;
  return (run.final?.weight ?? 0) <= KEPT_WEIGHT;
}

const runCache = new WeakMap<ReadonlyMap<string, Body>, Run>();

/**
 * The run of `entry` (default `main`) over a file's MIR, made once per `bodies` map and cached
 * (weakly: it goes away with the analysis). This is what `analysis.ts` calls lazily on the first
 * snapshot or hover query.
 */
export function runFor(input: RunInput): Run {
  const cached = runCache.get(input.bodies);
  if (cached && cached.input.entry === input.entry && cached.input.stepBudget === input.stepBudget) return cached;
  const run = runProgram(input);
  runCache.set(input.bodies, run);
  return run;
}
