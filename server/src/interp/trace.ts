/**
 * The trace of one simulated run: every MIR statement or terminator with a user-visible effect,
 * in execution order, with its source span, the activation (frame) it ran in and its events.
 *
 * The trace does not hold memory copies: the memory after step k is rebuilt by re-running the
 * (deterministic) interpreter and stopping after step k (`replayTo` in `run.ts`). So a trace
 * costs a few dozen bytes per step, and a snapshot costs one re-run of at most k steps (none for
 * the last step, whose memory is the recorded machine's, nor for a step replayed recently).
 */
import type { Span } from '../hir/hir';
import type { FileHir } from '../hir/hir';
import type { Body } from '../mir/mir';
import type { MemoryEvent, StopReason } from '../../../shared/protocol';

/** One step of the trace. */
export interface Step {
  /** Source range of the statement/terminator (LSP: 0-based line, UTF-16 column). */
  span: Span;
  /** The activation the step belongs to. A call's return is a step of the caller (at the call site). */
  act: number;
  /** Events of the step, in order. */
  events: MemoryEvent[];
  /** The activation pushed by this step (calls, and step 0 for the entry function). */
  enters?: number;
  /** First step after a jump back to a loop header: a new iteration starts here. */
  loop?: boolean;
  /** What the step printed to stdout (`print!`/`println!`), newlines included. */
  printed?: string;
  /** The step printed a value the simulation does not know (shown as `?`). */
  printedUnknown?: boolean;
  /**
   * The step guessed (a branch on a value the simulation does not know) or did something it
   * does not know the effect of (an unsimulated call, construct or conversion; see `Run.unknowns`):
   * what the program prints from here on may differ.
   */
  unsure?: boolean;
}

/** One function activation seen in the trace. */
export interface ActInfo {
  id: number;
  /** MIR body path (`main`, `a::Point::new`, `main::{closure#0}`). */
  fn: string;
  /** 1 for the entry function. */
  depth: number;
  /** The caller's activation id (absent for the entry). */
  parent?: number;
  callSite?: Span;
  /** Index of the step that pushed it. */
  enterStep: number;
}

/** Why and where the run ended. `end` = the entry function returned normally. */
export interface StopInfo {
  reason: StopReason;
  message: string;
  range?: Span;
  /** The step index the run stopped after (-1: before any step). */
  step: number;
}

/** Input of a run; see `runProgram` in `index.ts`. */
export interface RunInput {
  file: FileHir;
  /** MIR bodies by name: fn qualName (`main`, `Point::new`) and closure body names. */
  bodies: ReadonlyMap<string, Body>;
  /** Entry body name, usually `main`. */
  entry: string;
  /** Statements + terminators executed before stopping with `step-limit`. Default 100 000. */
  stepBudget?: number;
  /** Why `stepBudget` is what it is, said in the `step-limit` message; default "step budget". */
  stepBudgetNote?: string;
  /** Visits of one loop header in one activation before stopping with `loop-limit`. Default 10 000. */
  loopCap?: number;
  /** Call depth before stopping with `recursion-limit`. Default 200. */
  maxDepth?: number;
  /** Run the entry with symbolic (unknown) arguments: set when the entry is not `main`. */
  symbolic?: boolean;
  /**
   * Asked every few thousand steps; when it answers true the run is abandoned and `runProgram`
   * throws `SimulationCancelled` (a newer version of the document arrived: nothing is kept).
   */
  cancelled?: () => boolean;
  /**
   * Why the program is not simulated at all (a file nested too deep: `simulationOffReason`):
   * the run stops before its first step, reason `unsupported`, with this message.
   */
  off?: string;
}

/** Thrown by `runProgram`/`replayTo` when `RunInput.cancelled` says so (see there). */
export class SimulationCancelled extends Error {
  constructor() {
    super('the simulation was abandoned: a newer version of the document arrived');
  }
}

/** A completed run: the trace plus what is needed to rebuild memory at any step. */
export interface Run {
  input: RunInput;
  steps: Step[];
  /** MIR statements and terminators executed (what `RunInput.stepBudget` counts; a step is a line's worth). */
  executed: number;
  acts: ActInfo[];
  stop: StopInfo;
  /** Lines printed by `println!`/`print!`, a last one without a newline included (unknown values print as `?`). */
  stdout: string[];
  /** Facts the simulation guessed or did not know (symbolic branches, unknown calls). */
  unknowns: string[];
  /** Runs of functions not reached from the entry, made on demand (by body name). */
  symbolicRuns: Map<string, Run>;
  /**
   * The recorded machine itself: the memory after the last step (absent when the run stopped
   * in the middle of a step, `Machine.atStepEnd`). See `replayTo` in `run.ts`.
   */
  final?: { step: number; machine: unknown; weight: number };
  /**
   * Replayed machines kept, most recent first (`replayTo` in `run.ts`: hover and the panel
   * often ask for the same steps). `weight`: how much memory the state holds (see `run.ts`).
   */
  replays?: { step: number; machine: unknown; weight?: number }[];
}
