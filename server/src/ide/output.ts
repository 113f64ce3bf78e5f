/**
 * What the simulated program prints: the one source of the output the panel shows
 * (`Snapshot.output`, built from each step's `printed` text) and of `rust-memory run`.
 *
 * The panic message is worded as Rust's runtime (std::panicking, rustc 1.95) writes it to
 * stderr: `thread 'main' panicked at FILE:LINE:COL:\nMESSAGE\n` (1-based line and char column
 * of the panicking expression), for a process preceded by an empty line and followed by the
 * backtrace note. std 1.95 also names the thread's OS id (`thread 'main' (4242) panicked`),
 * which a simulation has none of: it is left out.
 */
import type { OutputChunk, StopReason } from '../../../shared/protocol';
import type { Run } from '../interp/trace';

/** The note std prints after a panic message when `RUST_BACKTRACE` is not set. */
export const BACKTRACE_NOTE = 'note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n';

/** The exit status of a Rust process whose main thread panicked (std's `rt::lang_start`). */
export const PANIC_EXIT_CODE = 101;

/**
 * What run `r` printed up to and including step `k`: each step's stdout, then the panic
 * message when the run panicked at or before `k`. Output at or after `errorStep` (a step that
 * runs a line with an error rustc reports) is marked `notReal`; output that shows a value the
 * simulation does not know, or comes after a step it guessed or did not know the effect of
 * (`Step.unsure`), is marked `unknown`.
 * `file` is the path the panic location names (`src/main.rs`, as `cargo run` shows it).
 */
export function outputUpTo(r: Run, k: number, errorStep: number | undefined, file = 'src/main.rs'): OutputChunk[] {
  const out: OutputChunk[] = [];
  let guessed = false;
  const marks = (step: number, unknown: boolean): Partial<OutputChunk> => ({
    ...(errorStep !== undefined && step >= errorStep ? { notReal: true } : {}),
    ...(unknown ? { unknown: true } : {}),
  });
  for (let i = 0; i <= k && i < r.steps.length; i++) {
    const st = r.steps[i];
    if (st.unsure) guessed = true;
    if (st.printed) out.push({ stream: 'stdout', text: st.printed, step: i, ...marks(i, guessed || st.printedUnknown === true) });
  }
  if (r.stop.reason === 'panic' && r.stop.step <= k) {
    const where = r.stop.range ? ` at ${file}:${r.stop.range.start.line + 1}:${r.stop.range.start.character + 1}` : '';
    const msg = r.stop.message.replace(/^panicked(: | at line \d+)/, '').trim() || 'explicit panic';
    const step = Math.max(0, r.stop.step);
    out.push({ stream: 'panic', text: `thread 'main' panicked${where}:\n${msg}\n`, step, ...marks(step, guessed) });
  }
  return out;
}

/** A whole run as a process: what `rust-memory run --format json` prints. */
export interface ProgramResult {
  /** Everything printed to stdout, in order. */
  stdout: string;
  /** The panic message and backtrace note (empty when the program did not panic). */
  stderr: string;
  /** 0 when `main` returned, 101 when it panicked, null when the simulation stopped first. */
  exitCode: number | null;
  /** Set when the simulation ended before the program did (a limit, something not simulated). */
  stopped?: { reason: StopReason; message: string; line?: number; column?: number };
  /** What the simulation did not know or guessed, in words (the output may differ there). */
  unknowns: string[];
  /** Steps of the trace. */
  steps: number;
  /**
   * True when some output shows an unknown value (`?`), or the run guessed a branch or did
   * something it does not know the effect of (an unsimulated call): the real output may differ.
   */
  uncertain: boolean;
  /**
   * The first stdout line (1-based) that shows a value the simulation does not know or was
   * printed after a branch it guessed: from there on, the real program may print otherwise.
   */
  firstUnsureLine?: number;
}

/** The whole output of run `r` as the compiled program's process would show it. */
export function programResult(r: Run, file = 'src/main.rs'): ProgramResult {
  const chunks = outputUpTo(r, r.steps.length, undefined, file);
  const stdout = chunks
    .filter((c) => c.stream === 'stdout')
    .map((c) => c.text)
    .join('');
  const panic = chunks.find((c) => c.stream === 'panic');
  const res: ProgramResult = {
    stdout,
    // std 1.95's default hook starts the report on a new line of its own.
    stderr: panic ? '\n' + panic.text + BACKTRACE_NOTE : '',
    exitCode: r.stop.reason === 'end' ? 0 : r.stop.reason === 'panic' ? PANIC_EXIT_CODE : null,
    unknowns: [...r.unknowns],
    steps: r.steps.length,
    uncertain: chunks.some((c) => c.unknown) || r.steps.some((s) => s.unsure),
  };
  let line = 1;
  for (const c of chunks) {
    if (c.stream !== 'stdout') continue;
    if (c.unknown) {
      res.firstUnsureLine = line;
      break;
    }
    line += (c.text.match(/\n/g) ?? []).length;
  }
  if (r.stop.reason !== 'end' && r.stop.reason !== 'panic') {
    res.stopped = { reason: r.stop.reason, message: r.stop.message };
    if (r.stop.range) {
      res.stopped.line = r.stop.range.start.line + 1;
      res.stopped.column = r.stop.range.start.character + 1;
    }
  }
  return res;
}
