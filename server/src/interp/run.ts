/**
 * Running a program: the recorded trace of one run (`runProgram`), and the memory after any
 * step of it, rebuilt by a deterministic re-run (`replayTo`). Queries that turn a run into
 * pictures and hover facts live in `ide/snapshot.ts`.
 */
import type { Body } from '../mir/mir';
import { Machine } from './interp';
import type { Run, RunInput } from './trace';

/** Runs `input.entry` and records its trace. Never throws (see `Machine.run`). */
export function runProgram(input: RunInput): Run {
  const m = new Machine(input, { record: true });
  m.run();
  return {
    input,
    steps: m.steps ?? [],
    acts: m.actInfos,
    stop: m.stop ?? { reason: 'unsupported', message: 'the simulation did not finish', step: m.stepCount - 1 },
    stdout: m.stdoutLines(),
    unknowns: m.unknowns,
    symbolicRuns: new Map(),
  };
}

/**
 * Re-runs `run`'s program and stops right after step `k`: the memory after step k. The last
 * replay is cached on the run (callers must not mutate the returned machine).
 */
export function replayTo(run: Run, k: number): Machine {
  if (run.replayCache && run.replayCache.step === k) return run.replayCache.machine as Machine;
  const m = new Machine(run.input, { record: false, stopAfter: k });
  m.run();
  run.replayCache = { step: k, machine: m };
  return m;
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
