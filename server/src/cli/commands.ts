/**
 * The `rust-memory` commands (run by `main.ts`): the engine on files, for CI, teaching material and tests.
 *
 *   rust-memory check [--format text|json] [--edition E] FILE|DIR|Cargo.toml...
 *   rust-memory hover FILE:LINE:COL [--format markdown|json]
 *   rust-memory snapshot FILE:LINE:COL [--format text|json|svg] [--visit N]
 *   rust-memory mir FILE [--fn NAME]
 *   rust-memory run FILE [--format text|json] [--max-steps N]
 *
 * A FILE inside a Cargo package is analysed with the rest of its crate (`engine/crate.ts`); a
 * DIR or Cargo.toml checks every crate of the package, each file's errors under its path.
 * LINE and COL are 1-based; COL counts chars as rustc does. Exit codes: 0 success (no errors,
 * hover found, snapshot shown, program ended); 1 errors found / nothing at that position / the
 * program does not compile or the simulation stopped before it ended; 2 bad usage, unreadable or
 * unanalysable file; 3 internal error in the engine; 101 the simulated program panicked (`run`,
 * as a Rust process).
 */
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { MAX_TEXT_LENGTH, DocumentAnalyzer, analyze, notCheckedLive, simulation, type Analysis, type Edition } from '../engine/engine';
import { CRATE_LINE_STRIDE, CrateFinder, CrateView, findManifest, readPackage } from '../engine/crate';
import { checkCrate, checkPackage, type CheckedCrate } from '../engine/checkCrate';
import { Vfs } from '../engine/vfs';
import { programResult } from '../ide/output';
import { hoverAt, type HoverInfo } from '../ide/hover';
import { snapshotAt } from '../ide/snapshot';
import { localizeSnapshot, localizeText } from '../ide/crateFiles';
import { unanalysableReason } from '../base/text';
import { SourceText } from './sourceText';
import { renderSnapshotSvg } from '../../../shared/render/svg';
import { renderSnapshotText } from '../../../shared/render/text';
import { type JsonDiagnostic, renderDiagnostic, summary, toJsonDiagnostic } from './diagnostics';
import { prettyProgram } from '../mir/pretty';

export const USAGE = `rust-memory: see Rust's memory from the command line

Usage:
  rust-memory check [--format text|json] [--edition E] FILE|DIR|Cargo.toml...
      Borrow-check FILEs, or every crate of the Cargo package in DIR (or of the
      Cargo.toml); print errors as rustc does (text) or one JSON array. A FILE in a
      Cargo package is analysed with the other modules of its crate.
  rust-memory hover FILE:LINE:COL [--format markdown|json]
      Where the binding at LINE:COL lives: type, size, frame or static memory, state.
  rust-memory snapshot FILE:LINE:COL [--format text|json|svg] [--visit N] [--step K]
                       [--detail learner|expert] [--width PX]
      The stack, heap and static memory when execution reaches LINE:COL (before the
      line when COL is at its first character of code; N-th visit of that position,
      default 1; or step K of the trace, 1-based). SVG: the panel's picture, in its
      learner (default) or expert detail, in one column below PX pixels.
  rust-memory mir FILE [--fn NAME]
      The MIR the engine builds for each function (or only NAME), as rustc prints MIR.
  rust-memory run FILE [--format text|json] [--max-steps N]
      Simulate the program from \`main\` and print what it prints: its stdout, and on a panic
      the panic message on stderr and exit status 101, as the compiled program. What the
      simulation does not know is printed as ? and listed on stderr. JSON: { stdout, stderr,
      exitCode, stopped, unknowns, steps, uncertain }. N bounds the MIR steps (default 1000000).
  rust-memory --help

LINE and COL are 1-based; COL counts characters, as rustc does. --edition 2015|2018|2021|2024
(default: the Cargo.toml's edition for a file in a package, else 2021) is the Rust
edition the code is written in, for every command.
Exit status: 0 success, 1 errors found (check), nothing at the position (hover, snapshot), or
a program that does not compile or whose simulation stopped before its end (run), 2 bad usage
or a file that cannot be read or analysed, 3 internal error, 101 the program panicked (run).
`;

/** Thrown for bad usage and unreadable files: exit status 2 with the message on stderr. */
class UsageError extends Error {}

/** What a command run produced: everything is written by `main`. */
interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

// --- files

interface Loaded {
  file: string;
  src: SourceText;
}

function load(file: string): Loaded {
  let text: string;
  try {
    // A device or FIFO (`/dev/zero`, a pipe) would be read forever: only regular files are read.
    const st = statSync(file);
    if (!st.isFile() && !st.isDirectory())
      throw new UsageError(`could not read \`${file}\`: not a regular file (a device, FIFO or socket); give a Rust source file`);
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(
      `could not read \`${file}\`: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : e.message}`,
    );
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // BOM, as rustc ignores it
  return { file, src: new SourceText(text) };
}

/** Analyses a file: with the rest of its crate when it is in a Cargo package (edition: `--edition`, else the manifest's). */
function analyseOrExplain(l: Loaded, edition: Edition | undefined, finder = new CrateFinder(new Vfs())): Analysis {
  const reason = unanalysableReason(l.src.text, MAX_TEXT_LENGTH);
  if (reason) throw new UsageError(`could not analyse \`${l.file}\`: ${reason}`);
  const found = finder.crateOf(l.file);
  if (!found) return analyze(l.src.text, { edition: edition ?? '2021' });
  const view = new CrateView(finder.vfs, found.pkg, found.root, l.file);
  return new DocumentAnalyzer().analyze(l.src.text, { crate: view, edition: edition ?? found.pkg.edition });
}

/** A package to check: `DIR` (its Cargo.toml, or the nearest above) or a `Cargo.toml`; undefined for a file. */
function packageArg(arg: string): string | undefined {
  let isDir: boolean;
  try {
    isDir = statSync(arg).isDirectory();
  } catch {
    return undefined;
  }
  if (!isDir) return path.basename(arg) === 'Cargo.toml' ? arg : undefined;
  const m = findManifest(arg, new Vfs());
  if (!m) throw new UsageError(`\`${arg}\` is a directory without a \`Cargo.toml\` (in it or above it)`);
  return m;
}

/** How the CLI names a file of a package: relative to the working directory when inside it (as cargo prints `src/main.rs`). */
function displayPath(abs: string): string {
  const rel = path.relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}

const EDITIONS = ['2015', '2018', '2021', '2024'] as const;

/** The `--edition` option (default 2021, as `cargo new`). */
const editionOption = { edition: { type: 'string' } } as const;

/** `--edition`, or undefined when not given (then the package's, else 2021). */
function editionOf(value: string | undefined): Edition | undefined {
  return value === undefined ? undefined : format(value, EDITIONS, '2021', 'edition');
}

/** `FILE:LINE:COL` → parts (the file may itself contain `:`). */
function parseLocation(arg: string | undefined): { file: string; line: number; column: number } {
  const m = arg ? /^(.+):(\d+):(\d+)$/.exec(arg) : null;
  if (!m) throw new UsageError(`expected FILE:LINE:COL (1-based), got ${arg === undefined ? 'nothing' : `\`${arg}\``}`);
  return { file: m[1], line: Number(m[2]), column: Number(m[3]) };
}

function positionIn(l: Loaded, line: number, column: number) {
  const pos = l.src.fromRustc(line, column);
  if (!pos) throw new UsageError(`${l.file}:${line}:${column} is outside the file (${l.src.lineCount} lines)`);
  return pos;
}

function format<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T, option = 'format'): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`--${option} must be one of ${allowed.join(', ')}, got \`${value}\``);
  return value as T;
}

// --- commands

function check(args: string[]): Outcome {
  const { values, positionals } = parseArgs({
    args,
    options: { format: { type: 'string' }, ...editionOption },
    allowPositionals: true,
    strict: true,
  });
  const fmt = format(values.format, ['text', 'json'] as const, 'text');
  if (positionals.length === 0) throw new UsageError('check: no FILE given');
  let stdout = '';
  let stderr = '';
  let errors = 0;
  let warnings = 0;
  let failed = false;
  let internal = false;
  const json: JsonDiagnostic[] = [];
  /** `notChecked`: functions too large to check (`notCheckedLive`), noted since they can have no diagnostic. */
  const report = (
    analysis: { diagnostics: Analysis['diagnostics']; failures: Analysis['failures'] },
    file: string,
    l: Loaded,
    notChecked: { function: string; reason: string }[] = [],
  ): void => {
    for (const f of analysis.failures) stderr += `warning: ${file}: \`${f.function}\` was not analysed: ${f.message}\n`;
    for (const n of notChecked) stderr += `note: ${file}: not borrow-checked: ${n.reason}\n`;
    for (const d of analysis.diagnostics) {
      if (d.severity === 'error') errors++;
      else warnings++;
      if (fmt === 'json') json.push(toJsonDiagnostic(d, file, l.src));
      else stdout += renderDiagnostic(d, file, l.src) + '\n';
    }
  };
  // Files of one crate share one check of the crate (packages and parses are read once).
  const vfs = new Vfs();
  const finder = new CrateFinder(vfs);
  const crates = new Map<string, CheckedCrate | undefined>();
  const inCrate = (l: Loaded): { diagnostics: Analysis['diagnostics']; failures: Analysis['failures'] } | undefined => {
    if (unanalysableReason(l.src.text, MAX_TEXT_LENGTH)) return undefined;
    const found = finder.crateOf(l.file);
    if (!found) return undefined;
    if (values.edition !== undefined) found.pkg.edition = editionOf(values.edition)!;
    if (!crates.has(found.root)) crates.set(found.root, checkCrate(found.pkg, found.root, vfs));
    const entry = crates.get(found.root)?.files.find((f) => f.file === path.resolve(l.file));
    // The file as loaded is the one the crate check read (else: it changed meanwhile; analysed alone).
    return entry && entry.text === l.src.text ? entry : undefined;
  };
  /** Records `err` from checking `file`: a usage error (status 2) or an internal one (status 3). */
  const fail = (err: unknown, file: string): void => {
    if (err instanceof UsageError) {
      failed = true;
      stderr += `error: ${err.message}\n`;
    } else {
      internal = true;
      stderr += `error: internal error while analysing \`${file}\`: ${err instanceof Error ? err.message : String(err)}\n`;
    }
  };
  for (const file of positionals) {
    const manifest = packageArg(file);
    if (manifest) {
      try {
        const vfs = new Vfs();
        const pkg = readPackage(manifest, vfs);
        if (values.edition !== undefined) pkg.edition = editionOf(values.edition)!;
        if (!pkg.roots.length) throw new UsageError(`\`${manifest}\` has no crate: no src/lib.rs, src/main.rs or src/bin/*.rs`);
        for (const c of checkPackage(pkg, vfs))
          for (const f of c.files) report(f, displayPath(f.file), { file: f.file, src: new SourceText(f.text) });
      } catch (err) {
        fail(err, file);
      }
      continue;
    }
    let analysis: { diagnostics: Analysis['diagnostics']; failures: Analysis['failures'] };
    let notChecked: { function: string; reason: string }[] = [];
    let l: Loaded;
    try {
      l = load(file);
      const crateEntry = inCrate(l);
      if (crateEntry) analysis = crateEntry;
      else {
        const a = analyseOrExplain(l, editionOf(values.edition), finder);
        notChecked = notCheckedLive(a);
        analysis = a;
      }
    } catch (err) {
      fail(err, file);
      continue;
    }
    report(analysis, file, l, notChecked);
  }
  if (fmt === 'json') stdout = JSON.stringify(json, null, 2) + '\n';
  else stdout += (errors > 0 ? 'error: ' : '') + summary(errors, warnings) + '\n';
  return { code: internal ? 3 : failed ? 2 : errors > 0 ? 1 : 0, stdout, stderr };
}

/** HoverInfo for JSON: the engine's fields, with `range` replaced by 1-based char positions. */
function hoverJson(h: HoverInfo, file: string, src: SourceText): Record<string, unknown> {
  const { range, ...rest } = h;
  const start = src.toRustc(range.start);
  const end = src.toRustc(range.end);
  return { file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column, ...rest };
}

function hover(args: string[]): Outcome {
  const { values, positionals } = parseArgs({
    args,
    options: { format: { type: 'string' }, ...editionOption },
    allowPositionals: true,
    strict: true,
  });
  const fmt = format(values.format, ['markdown', 'json'] as const, 'markdown');
  if (positionals.length !== 1) throw new UsageError('hover: expected one FILE:LINE:COL');
  const loc = parseLocation(positionals[0]);
  const l = load(loc.file);
  const pos = positionIn(l, loc.line, loc.column);
  const analysis = analyseOrExplain(l, editionOf(values.edition));
  const found = hoverAt(analysis, pos);
  const info = found && analysis.crateDiagnostics ? { ...found, markdown: localizeText(found.markdown) } : found;
  if (!info) return { code: 1, stdout: '', stderr: `${loc.file}:${loc.line}:${loc.column}: no binding at this position\n` };
  const stdout = fmt === 'json' ? JSON.stringify(hoverJson(info, loc.file, l.src), null, 2) + '\n' : info.markdown.trimEnd() + '\n';
  return { code: 0, stdout, stderr: '' };
}

function snapshot(args: string[]): Outcome {
  const { values, positionals } = parseArgs({
    args,
    options: {
      format: { type: 'string' },
      visit: { type: 'string' },
      step: { type: 'string' },
      detail: { type: 'string' },
      width: { type: 'string' },
      ...editionOption,
    },
    allowPositionals: true,
    strict: true,
  });
  const fmt = format(values.format, ['text', 'json', 'svg'] as const, 'text');
  let visit = 1;
  if (values.visit !== undefined) {
    if (!/^\d+$/.test(values.visit) || Number(values.visit) < 1)
      throw new UsageError(`--visit must be a positive integer, got \`${values.visit}\``);
    visit = Number(values.visit);
  }
  const positive = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`--${name} must be a positive integer, got \`${v}\``);
    return Number(v);
  };
  const step = positive('step', values.step);
  const width = positive('width', values.width);
  const detail = format(values.detail, ['learner', 'expert'] as const, 'learner', 'detail');
  if (positionals.length !== 1) throw new UsageError('snapshot: expected one FILE:LINE:COL');
  const loc = parseLocation(positionals[0]);
  const l = load(loc.file);
  const pos = positionIn(l, loc.line, loc.column);
  const analysis = analyseOrExplain(l, editionOf(values.edition));
  const snap = snapshotAt(analysis, pos, visit, 0, {
    step: step === undefined ? undefined : step - 1,
  });
  if (analysis.crateDiagnostics) localizeSnapshot(snap);
  const shown = snap.status === 'ok' || snap.status === 'stopped';
  const code = shown ? 0 : 1;
  if (fmt === 'json') return { code, stdout: JSON.stringify(snap, null, 2) + '\n', stderr: '' };
  if (fmt === 'svg') {
    // The webview's renderer: one picture for the CLI, the tests and the panel.
    return { code, stdout: renderSnapshotSvg(snap, { detail, maxWidth: width }), stderr: shown ? '' : `${snap.status}: ${snap.message}\n` };
  }
  return { code, stdout: renderSnapshotText(snap), stderr: '' };
}

function mir(args: string[]): Outcome {
  const { values, positionals } = parseArgs({
    args,
    options: { fn: { type: 'string' }, ...editionOption },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('mir: expected one FILE');
  const l = load(positionals[0]);
  const a = analyseOrExplain(l, editionOf(values.edition));
  // In a crate, the other files' bodies are at their own rows (`engine/crate.ts`): not this file's.
  const bodies = [...a.mir.bodies.values()].filter(
    (b) => b.span.start.line < CRATE_LINE_STRIDE && (values.fn === undefined || b.name === values.fn),
  );
  if (!bodies.length)
    return { code: 1, stdout: '', stderr: `${positionals[0]}: no function${values.fn ? ` named \`${values.fn}\`` : ''}\n` };
  return { code: 0, stdout: prettyProgram(bodies), stderr: '' };
}

/** The default `--max-steps` of `run`: whole programs, not an editor's keystroke. */
const RUN_MAX_STEPS = 1_000_000;

function runCommand(args: string[]): Outcome {
  const { values, positionals } = parseArgs({
    args,
    options: { format: { type: 'string' }, 'max-steps': { type: 'string' }, ...editionOption },
    allowPositionals: true,
    strict: true,
  });
  const fmt = format(values.format, ['text', 'json'] as const, 'text');
  const maxSteps = values['max-steps'];
  if (maxSteps !== undefined && (!/^\d+$/.test(maxSteps) || Number(maxSteps) < 1))
    throw new UsageError(`--max-steps must be a positive integer, got \`${maxSteps}\``);
  if (positionals.length !== 1) throw new UsageError('run: expected one FILE');
  const file = positionals[0];
  const l = load(file);
  const reason = unanalysableReason(l.src.text, MAX_TEXT_LENGTH);
  if (reason) throw new UsageError(`could not analyse \`${file}\`: ${reason}`);
  const a = analyze(l.src.text, { edition: editionOf(values.edition), stepBudget: maxSteps ? Number(maxSteps) : RUN_MAX_STEPS });
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    // rustc would not build the program: say why, as `check` does, and run nothing.
    const text = errors.map((d) => renderDiagnostic(d, file, l.src) + '\n').join('') + `error: ${summary(errors.length, 0)}\n`;
    if (fmt === 'json') {
      const res = {
        stdout: '',
        stderr: text,
        exitCode: null,
        stopped: { reason: 'does-not-compile', message: summary(errors.length, 0) },
        unknowns: [],
        steps: 0,
        uncertain: false,
      };
      return { code: 1, stdout: JSON.stringify(res, null, 2) + '\n', stderr: '' };
    }
    return { code: 1, stdout: '', stderr: text };
  }
  const res = programResult(simulation(a), file);
  const code = res.exitCode ?? 1;
  if (fmt === 'json') {
    return { code, stdout: JSON.stringify(res, null, 2) + '\n', stderr: '' };
  }
  // The program's own streams first; what the simulation adds goes after, marked as its own.
  let stderr = res.stderr;
  if (res.stopped) {
    const at = res.stopped.line !== undefined ? ` at ${file}:${res.stopped.line}:${res.stopped.column}` : '';
    stderr += `rust-memory: the simulation stopped before the program ended${at}: ${res.stopped.message}\n`;
  }
  if (res.firstUnsureLine !== undefined)
    stderr += `rust-memory: output line ${res.firstUnsureLine} on is unsure: it shows a value the simulation does not know or follows a branch it guessed\n`;
  if (res.uncertain || res.stopped) for (const u of res.unknowns) stderr += `rust-memory: not known: ${u}\n`;
  return { code, stdout: res.stdout, stderr };
}

// --- entry

/** Runs the CLI on `argv` (without `node` and the script). Never throws. */
export function run(argv: string[]): Outcome {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) return { code: 2, stdout: '', stderr: USAGE };
    if (command === '--help' || command === '-h' || command === 'help') return { code: 0, stdout: USAGE, stderr: '' };
    if (rest.includes('--help') || rest.includes('-h')) return { code: 0, stdout: USAGE, stderr: '' };
    switch (command) {
      case 'check':
        return check(rest);
      case 'hover':
        return hover(rest);
      case 'snapshot':
        return snapshot(rest);
      case 'mir':
        return mir(rest);
      case 'run':
        return runCommand(rest);
      default:
        throw new UsageError(`unknown command \`${command}\``);
    }
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      return { code: 2, stdout: '', stderr: `error: ${(err as Error).message}\nRun \`rust-memory --help\` for usage.\n` };
    }
    return { code: 3, stdout: '', stderr: `error: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n` };
  }
}
