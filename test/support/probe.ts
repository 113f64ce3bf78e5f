/**
 * One robustness probe of the engine on a text, in-process: `analyze`, hovers on a few
 * identifiers and snapshots at a few lines, as the language server would ask them. Shared by
 * the robustness regression test (test/engine/robustness.test.ts) and the fuzzer
 * (test/tools/fuzz.ts, which runs it in child processes with a timeout and a heap cap).
 *
 * It checks the shape of the answers, not their content: positions inside their lines (LSP line
 * breaks `\n`, `\r\n`, lone `\r`), a snapshot status for every snapshot, and which functions lost
 * their results to an internal exception (`Analysis.failures`).
 */
import { analyze, simulation, MAX_TEXT_LENGTH } from '../../server/src/engine/engine';
import { hoverAt } from '../../server/src/ide/hover';
import { snapshotAt } from '../../server/src/ide/snapshot';
import { lineOffsets, unanalysableReason } from '../../server/src/base/text';
import type { Position, Range } from 'vscode-languageserver-protocol';

/** What one probe found (JSON-serialisable: the fuzzer's child sends it to its parent). */
export interface ProbeResult {
  /** Wall-clock milliseconds for everything. */
  ms: number;
  /** CPU milliseconds of the process (user + system, all threads) for everything: unlike `ms`,
   * not inflated by other processes on a loaded machine. */
  cpuMs: number;
  diagnostics: number;
  /** `Analysis.failures`: functions whose analysis threw inside (message per function). */
  failures: string[];
  hovers: number;
  /** Snapshot statuses, in order. */
  snapshots: string[];
  /** Why the simulation stopped (`end`, `step-limit`, `memory-limit`...) and its message. */
  stop?: { reason: string; message: string };
  /** Answers with positions outside the text's lines, in words (must stay empty). */
  badPositions: string[];
  /** An exception that escaped the API (must never happen), with its stack. */
  escaped?: string;
  /** Why the text is not analysed at all, as the server and the CLI say before they parse (`unanalysableReason`): a clear answer. */
  refused?: string;
}

const HOVERS = 5;
const SNAPSHOTS = 3;

/** Identifier-ish positions spread over the text: up to `n`, evenly spaced among all candidates. */
function hoverPositions(text: string, n: number): Position[] {
  const offsets = lineOffsets(text);
  const found: Position[] = [];
  const re = /\b(let\s+(mut\s+)?)?([A-Za-z_][A-Za-z0-9_]*)/g;
  const lines = Math.min(offsets.length, 20_000);
  for (let l = 0; l < lines; l++) {
    const end = l + 1 < offsets.length ? offsets[l + 1] : text.length;
    const line = text.slice(offsets[l], Math.min(end, offsets[l] + 400));
    re.lastIndex = 0;
    const m = re.exec(line);
    if (m && m[1]) found.push({ line: l, character: m.index + m[1].length });
  }
  return spread(found, n);
}

function spread<T>(xs: T[], n: number): T[] {
  if (xs.length <= n) return xs;
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(xs[Math.floor(((i + 0.5) * xs.length) / n)]);
  return out;
}

/** Lines to snapshot: the last `}` lines of functions and a few lines in between. */
function snapshotPositions(text: string, n: number): Position[] {
  const offsets = lineOffsets(text);
  const lines: Position[] = [];
  for (let l = 0; l < Math.min(offsets.length, 20_000); l++) {
    const end = l + 1 < offsets.length ? offsets[l + 1] : text.length;
    const line = text.slice(offsets[l], Math.min(end, offsets[l] + 400));
    const indent = line.length - line.trimStart().length;
    if (line.trim().length > 0 && indent > 0) lines.push({ line: l, character: line.trimEnd().length });
  }
  return spread(lines, n);
}

/** Whether `r` lies inside `text`'s lines (each end at most the length of its line). */
function rangeProblem(r: Range, offsets: number[], text: string): string | undefined {
  for (const p of [r.start, r.end]) {
    if (!Number.isInteger(p.line) || p.line < 0 || p.line >= offsets.length) return `line ${p.line} of ${offsets.length}`;
    let end = p.line + 1 < offsets.length ? offsets[p.line + 1] : text.length;
    if (end > offsets[p.line] && text.charCodeAt(end - 1) === 10) end--;
    if (end > offsets[p.line] && text.charCodeAt(end - 1) === 13) end--;
    const len = end - offsets[p.line];
    if (!Number.isInteger(p.character) || p.character < 0 || p.character > len) return `${p.line}:${p.character} past its line (${len})`;
  }
  return undefined;
}

/** Runs the probe. Catches and reports an exception escaping the engine's API (`escaped`). */
export function probe(text: string): ProbeResult {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const done = (): ProbeResult => {
    res.ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    res.cpuMs = (c.user + c.system) / 1000;
    return res;
  };
  const res: ProbeResult = { ms: 0, cpuMs: 0, diagnostics: 0, failures: [], hovers: 0, snapshots: [], badPositions: [] };
  // The server and the CLI refuse what is too big, binary or nested too deep before parsing it.
  const refused = unanalysableReason(text, MAX_TEXT_LENGTH);
  if (refused) {
    res.refused = refused;
    return done();
  }
  try {
    const a = analyze(text);
    const offsets = text.length <= MAX_TEXT_LENGTH ? lineOffsets(text) : [];
    res.diagnostics = a.diagnostics.length;
    res.failures = a.failures.map((f) => `${f.function}: ${f.message}`);
    const check = (what: string, r: Range | undefined): void => {
      if (!r || !offsets.length) return;
      const p = rangeProblem(r, offsets, text);
      if (p && res.badPositions.length < 10) res.badPositions.push(`${what}: ${p}`);
    };
    for (const d of a.diagnostics) check(`diagnostic ${d.code}`, d.range);
    for (const pos of hoverPositions(text, HOVERS)) {
      const h = hoverAt(a, pos);
      if (h) {
        res.hovers++;
        check('hover', h.range);
      }
    }
    for (const pos of snapshotPositions(text, SNAPSHOTS)) {
      const s = snapshotAt(a, pos);
      res.snapshots.push(s.status);
      check('snapshot stop', s.stopped?.range);
    }
    if (a.run || a.mir.bodies.size) {
      try {
        const run = simulation(a);
        res.stop = { reason: run.stop.reason, message: run.stop.message };
        check('stop', run.stop.range);
      } catch (e) {
        res.escaped = `simulation: ${(e as Error).stack ?? String(e)}`;
      }
    }
  } catch (e) {
    res.escaped = (e as Error).stack ?? String(e);
  }
  return done();
}
