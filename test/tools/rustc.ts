/**
 * Running rustc for the test tools (the oracle, the fidelity scores): processes with a timeout,
 * a small pool (the machine has 2 shared cores), and rustc's `--error-format=json` diagnostics
 * parsed into errors with their code, primary line and secondary labels.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';

/** rustc processes run at once. */
export const MAX_PARALLEL = 2;
const RUSTC_TIMEOUT_MS = 120_000;

// --- running processes

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  error?: string;
}

/**
 * Runs `cmd` with `args` in `cwd` (environment `env`, default this process's), with a timeout.
 * Its stdin is closed at once: no tool run here reads it (a `rustc -` that cargo runs must not
 * read anything from us).
 */
export function run(cmd: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      cmd,
      args,
      { cwd, env: env ?? process.env, timeout: RUSTC_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (!err) return resolve({ code: 0, stdout, stderr });
        const e = err as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
        if (typeof e.code === 'number') return resolve({ code: e.code, stdout, stderr });
        resolve({ code: null, stdout, stderr, error: e.killed ? `timed out after ${RUSTC_TIMEOUT_MS} ms` : e.message });
      },
    );
    child.stdin?.end();
  });
}

/**
 * The arguments of `rustc` checking a binary crate the way `cargo check` does (metadata only,
 * warnings allowed, errors as JSON on stderr): `file` is its root (a fixture, a package's
 * `src/main.rs`), `out` where the `.rmeta` goes.
 */
export function checkArgs(edition: string, file: string, out: string, crateName?: string): string[] {
  return [
    '--edition',
    edition,
    '--crate-type',
    'bin',
    ...(crateName ? ['--crate-name', crateName] : []),
    '--error-format=json',
    '--emit=metadata',
    '-A',
    'warnings',
    '-o',
    out,
    file,
  ];
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep the input order. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

// --- rustc's JSON diagnostics

interface JsonSpan {
  file_name: string;
  line_start: number;
  is_primary: boolean;
  label?: string | null;
  expansion?: { span: JsonSpan } | null;
}
interface JsonDiagnostic {
  $message_type?: string;
  message: string;
  code: { code: string } | null;
  level: string;
  spans: JsonSpan[];
  rendered?: string | null;
}

export interface RustcError {
  code: string | null;
  line: number;
  message: string;
  rendered: string;
  labels: { line: number; message: string }[];
}

/** 1-based line in `file` of the diagnostic's primary span, following macro expansions out; 0 if none. */
function primaryLine(d: JsonDiagnostic, file: string): number {
  for (const s of d.spans) {
    if (!s.is_primary) continue;
    let span: JsonSpan | undefined = s;
    for (let depth = 0; span && depth < 32; depth++) {
      if (path.resolve(span.file_name) === file) return span.line_start;
      span = span.expansion?.span ?? undefined;
    }
  }
  return 0;
}

/** The errors in rustc's `--error-format=json` stderr (one JSON object per line). */
export function parseRustcErrors(stderr: string, file: string): { errors: RustcError[]; junk: string[] } {
  const errors: RustcError[] = [];
  const junk: string[] = [];
  for (const line of stderr.split('\n')) {
    if (!line.trim()) continue;
    let d: JsonDiagnostic;
    try {
      d = JSON.parse(line) as JsonDiagnostic;
    } catch {
      junk.push(line);
      continue;
    }
    if (d.$message_type !== undefined && d.$message_type !== 'diagnostic') continue;
    if (d.level !== 'error') continue;
    if (!d.code && /^aborting due to/.test(d.message)) continue;
    const labels = d.spans
      .filter((sp) => !sp.is_primary && sp.label && path.resolve(sp.file_name) === file)
      .map((sp) => ({ line: sp.line_start, message: String(sp.label) }));
    errors.push({ code: d.code?.code ?? null, line: primaryLine(d, file), message: d.message, rendered: d.rendered ?? d.message, labels });
  }
  return { errors, junk };
}
